using System.Text.Json;
using Azure.Storage.Queues;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;

namespace Gatehouse.Azure.Composition;

/// <summary>
/// Recompose requests as queue messages <c>{"control_plane_id":"…"}</c>. The same message reaches
/// the same handler whether the local poller or the Azure Functions host delivers it.
/// </summary>
public sealed class QueueRecomposeQueue(StorageAccount storage, StorageLayout layout) : IRecomposeQueue
{
    public QueueClient Queue { get; } = storage.Queues.GetQueueClient(layout.RecomposeQueue);

    public Task InitializeAsync(CancellationToken cancellationToken) => Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public async Task EnqueueAsync(Guid controlPlane, CancellationToken cancellationToken) =>
        await Queue.SendMessageAsync(Format(controlPlane), cancellationToken: cancellationToken).ConfigureAwait(false);

    public static string Format(Guid controlPlane) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["control_plane_id"] = controlPlane.ToString() });

    /// <summary>The control plane a message names, or null when it is not a recompose request.</summary>
    public static Guid? Parse(string message)
    {
        try
        {
            using var json = JsonDocument.Parse(message);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("control_plane_id", out var id)
                && id.ValueKind == JsonValueKind.String
                && Guid.TryParse(id.GetString(), out var controlPlane)
                ? controlPlane
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
