using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gatehouse.Sidecar.ControlPlane;

/// <summary>What the node says of itself in <c>POST /v1/dp/heartbeat</c>, in Kong's names.</summary>
internal sealed record Heartbeat(
    [property: JsonPropertyName("node_id")] Guid NodeId,
    [property: JsonPropertyName("hostname")] string Hostname,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("plugins")] IReadOnlyList<HeartbeatPlugin> Plugins,
    [property: JsonPropertyName("config_hash")] string ConfigHash,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HeartbeatError? Error,
    [property: JsonPropertyName("metrics"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HeartbeatMetrics? Metrics = null)
{
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this);
}

internal sealed record HeartbeatPlugin(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Version);

/// <summary>Why the node does not run the config it was given: Kong refused it, or it failed its hash check.</summary>
internal sealed record HeartbeatError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("config_hash"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConfigHash)
{
    /// <summary>The control plane takes at most 2,048 characters.</summary>
    public static HeartbeatError Of(string message, string? configHash) =>
        new(message.Truncate(2000), configHash);
}

/// <summary>The traffic not yet acknowledged (<see cref="Metrics.MetricsOutbox"/>); absent when Kong reports none.</summary>
internal sealed record HeartbeatMetrics(
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("services")] JsonElement Services)
{
    public static HeartbeatMetrics? Of(Core.Analytics.MetricsReport? report)
    {
        if (report is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(Core.Analytics.TrafficJson.Write(report.Traffic));
        return new HeartbeatMetrics(report.Sequence, report.At, document.RootElement.Clone());
    }
}
