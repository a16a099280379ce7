using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.Composition;

namespace Gatehouse.Azure.Composition;

/// <summary>
/// Snapshots as blobs named by their hash (<c>{control plane}/{hash}.json</c>, written create-only,
/// so a repeat is harmless), and the pointer to the current one as a table row moved by ETag: its
/// source, hashes and times, and the names of the plugins the snapshot uses.
/// </summary>
public sealed class AzureSnapshotStore(StorageAccount storage, StorageLayout layout) : ISnapshotStore
{
    private const string PointerKey = "pointer";
    private const string StatusKey = "group-status";
    private const int MaxConflictsJson = 30_000;
    private const string PluginsProperty = "Plugins";

    private readonly BlobContainerClient _container = storage.Blobs.GetBlobContainerClient(layout.SnapshotsContainer);
    private readonly TableClient _table = storage.Tables.GetTableClient(layout.SnapshotsTable);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SnapshotPointer?> GetPointerAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(controlPlane.ToString(), PointerKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row is not { HasValue: true, Value: { } pointer })
        {
            return null;
        }
        string Hash(string name) => pointer.GetString(name) ?? "";
        var members = pointer.GetString("Members") is { } json ? JsonSerializer.Deserialize<Dictionary<Guid, long>>(json) : null;
        return new SnapshotPointer(
            new SnapshotSource(pointer.GetInt64("Revision") ?? 0, members),
            new ConfigHash(Hash("Hash"), Hash("RoutesHash"), Hash("ServicesHash"), Hash("PluginsHash"), Hash("UpstreamsHash"), Hash("TargetsHash"), Hash("RestHash")),
            pointer.GetDateTimeOffset("CreatedAt") ?? default,
            pointer.GetDateTimeOffset("UpdatedAt") ?? default)
        {
            Version = pointer.ETag.ToString(),
            Plugins = pointer.GetString(PluginsProperty) is { } plugins ? JsonSerializer.Deserialize<List<string>>(plugins) : null,
        };
    }

    public async Task WriteSnapshotAsync(Guid controlPlane, string hash, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            await BlobCreateOnly.UploadAsync(_container.GetBlobClient(BlobName(controlPlane, hash)), content, "application/json", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (BlobCreateOnly.AlreadyExists(e))
        {
            // Same hash, same bytes: an earlier attempt (or another worker) already wrote it.
        }
    }

    public async Task<ReadOnlyMemory<byte>?> ReadSnapshotAsync(Guid controlPlane, string hash, CancellationToken cancellationToken)
    {
        try
        {
            var blob = await _container.GetBlobClient(BlobName(controlPlane, hash)).DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return blob.Value.Content.ToMemory();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> TryAdvanceAsync(Guid controlPlane, SnapshotPointer? current, SnapshotPointer next, CancellationToken cancellationToken)
    {
        if (!next.Source.Follows(current?.Source))
        {
            throw new ArgumentException($"A pointer moves only forward: revision {next.Revision} does not follow {current?.Revision}.", nameof(next));
        }
        var h = next.Hashes;
        var row = new TableEntity(controlPlane.ToString(), PointerKey)
        {
            ["Revision"] = next.Revision,
            ["Hash"] = h.Config,
            ["RoutesHash"] = h.Routes,
            ["ServicesHash"] = h.Services,
            ["PluginsHash"] = h.Plugins,
            ["UpstreamsHash"] = h.Upstreams,
            ["TargetsHash"] = h.Targets,
            ["RestHash"] = h.Rest,
            ["CreatedAt"] = next.CreatedAt,
            ["UpdatedAt"] = next.UpdatedAt,
        };
        if (next.Source.Members is { } members)
        {
            row["Members"] = JsonSerializer.Serialize(members);
        }
        if (next.Plugins is { } plugins && JsonSerializer.Serialize(plugins) is { Length: <= TableLimits.MaxStringLength } names)
        {
            // More names than a property holds are left out: readers then find them in the snapshot.
            row[PluginsProperty] = names;
        }
        try
        {
            if (current?.Version is { } version)
            {
                await _table.UpdateEntityAsync(row, new ETag(version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            }
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    public async Task<GroupStatus?> GetGroupStatusAsync(Guid group, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(group.ToString(), StatusKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row is not { HasValue: true, Value: { } status })
        {
            return null;
        }
        var conflicts = JsonSerializer.Deserialize<List<GroupConflict>>(status.GetString("Conflicts") ?? "[]") ?? [];
        return new GroupStatus(status.GetString("State") ?? GroupStatus.Unknown, conflicts,
            status.GetDateTimeOffset("CreatedAt") ?? default, status.GetDateTimeOffset("UpdatedAt") ?? default);
    }

    /// <summary>
    /// Conflicts are kept as JSON in one property: as many as fit in its 32 Ki characters, and at
    /// most the 256 Konnect lists.
    /// </summary>
    public async Task SetGroupStatusAsync(Guid group, GroupStatus status, CancellationToken cancellationToken)
    {
        var kept = status.Conflicts.Take(256).ToList();
        var json = JsonSerializer.Serialize(kept);
        while (json.Length > MaxConflictsJson && kept.Count > 0)
        {
            kept.RemoveRange(kept.Count / 2, kept.Count - (kept.Count / 2));
            json = JsonSerializer.Serialize(kept);
        }
        await _table.UpsertEntityAsync(new TableEntity(group.ToString(), StatusKey)
        {
            ["State"] = status.State,
            ["Conflicts"] = json,
            ["CreatedAt"] = status.CreatedAt,
            ["UpdatedAt"] = status.UpdatedAt,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private static string BlobName(Guid controlPlane, string hash) => $"{controlPlane}/{hash}.json";
}
