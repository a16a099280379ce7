using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Versions;

namespace Gatehouse.Azure.Composition;

/// <summary>
/// Snapshots as blobs named by their hash (<c>{control plane}/{hash}.json</c>, written gzipped
/// (<see cref="ChunkedSnapshotGzip"/>) and create-only, so a repeat is harmless, and read whether
/// stored gzipped or plain: <see cref="GzipBlobContent"/>),
/// and the pointer to the current one as a table row moved by ETag: its source, hashes and times,
/// and the names of the plugins the snapshot uses. Each move writes its version record
/// (<see cref="VersionRow"/>) in the same entity-group transaction: the pointer and the records
/// share the control plane's partition, so there is never a move without its record, nor a record
/// of a move that did not happen.
/// </summary>
public sealed class AzureSnapshotStore(StorageAccount storage, StorageLayout layout, long newestSnapshotBytes = AzureSnapshotStore.DefaultNewestSnapshotBytes)
    : ISnapshotStore
{
    private const string PointerKey = "pointer";
    private const string StatusKey = "group-status";
    private const string MemberKeyPrefix = "member|";
    private const int MaxConflictsJson = 30_000;
    private const string PluginsProperty = "Plugins";
    private const string VersionNumberProperty = "VersionNumber";

    /// <summary>The snapshots created here kept in memory, in all: the largest group snapshot measured (29 MB at 100,000 entities) several times over.</summary>
    public const long DefaultNewestSnapshotBytes = 128L * 1024 * 1024;

    /// <summary>The gzip members kept from the snapshots created here, in all: a few times the largest group snapshot's (6.6 MB at 100,000 entities).</summary>
    internal const long KeptGzipBytes = 64L * 1024 * 1024;

    private readonly NewestSnapshots _newest = new(newestSnapshotBytes);
    private readonly BlobContainerClient _container = storage.Blobs.GetBlobContainerClient(layout.SnapshotsContainer);
    private readonly TableClient _table = storage.Tables.GetTableClient(layout.SnapshotsTable);

    /// <summary>How snapshots are gzipped for their blobs, and how many chunks it compressed (for tests and the benchmark).</summary>
    internal ChunkedSnapshotGzip Gzip { get; } = new(KeptGzipBytes);

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
            VersionNumber = pointer.GetInt64(VersionNumberProperty) ?? 0,
            Plugins = pointer.GetString(PluginsProperty) is { } plugins ? JsonSerializer.Deserialize<List<string>>(plugins) : null,
        };
    }

    public async Task WriteSnapshotAsync(Guid controlPlane, string hash, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(BlobName(controlPlane, hash));
        var gzipped = Gzip.Write(controlPlane, content.Span);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await BlobCreateOnly.UploadAsync(blob, gzipped, "application/json", cancellationToken, GzipBlobContent.Encoding).ConfigureAwait(false);
                _newest.Remember(controlPlane, hash, content);
                return;
            }
            catch (RequestFailedException e) when (BlobCreateOnly.AlreadyExists(e))
            {
                // Same hash, same bytes: an earlier attempt, another worker, or an older version (a
                // restore) wrote it. Touch it, so that retention, which deletes only blobs untouched
                // for a while and unchanged since it listed them, leaves it to the pointer about to name it.
            }
            try
            {
                await blob.SetMetadataAsync(new Dictionary<string, string> { ["reused"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt < 3)
            {
                // Retention deleted it between the two calls: write it again.
            }
        }
    }

    public async Task<ReadOnlyMemory<byte>?> ReadSnapshotAsync(Guid controlPlane, string hash, CancellationToken cancellationToken)
    {
        if (_newest.Find(controlPlane, hash) is { } newest)
        {
            return newest;
        }
        try
        {
            var blob = await _container.GetBlobClient(BlobName(controlPlane, hash)).DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return GzipBlobContent.Read(blob.Value.Content.ToMemory());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> TryAdvanceAsync(Guid controlPlane, SnapshotPointer? current, SnapshotPointer next, VersionNote note, CancellationToken cancellationToken)
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
        var number = (current?.VersionNumber ?? 0) + 1;
        row[VersionNumberProperty] = number;
        if (next.Source.Members is { } members)
        {
            row["Members"] = JsonSerializer.Serialize(members);
        }
        if (next.Plugins is { } plugins && JsonSerializer.Serialize(plugins) is { Length: <= TableLimits.MaxStringLength } names)
        {
            // More names than a property holds are left out: readers then find them in the snapshot.
            row[PluginsProperty] = names;
        }
        // The number is the pointer's to give: only the mover whose ETag holds writes this record. A
        // record left by a pointer removed by hand is replaced, not a reason to refuse the move.
        var record = VersionRow.Write(controlPlane, new ConfigVersion(number, next.Hash, next.Revision, next.UpdatedAt, note.Principal, note.Changes));
        TableTransactionAction move = current?.Version is { } version
            ? new(TableTransactionActionType.UpdateReplace, row, new ETag(version))
            : new(TableTransactionActionType.Add, row);
        return await _table.SubmitGuardedAsync([move, new(TableTransactionActionType.UpsertReplace, record)], cancellationToken).ConfigureAwait(false)
            == GuardedOutcome.Committed;
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

    public async Task NoteMemberRevisionAsync(Guid group, Guid member, long revision, bool replace, CancellationToken cancellationToken)
    {
        var note = new TableEntity(group.ToString(), MemberKeyPrefix + member) { ["Revision"] = revision };
        if (replace)
        {
            await _table.UpsertEntityAsync(note, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            await _table.AddEntityAsync(note, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Noted already, by the member's recomposition or another reader: that note stands.
        }
    }

    public async Task<IReadOnlyDictionary<Guid, long>> ReadMemberRevisionsAsync(Guid group, CancellationToken cancellationToken)
    {
        var noted = new Dictionary<Guid, long>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableFilter.InPartitionStartingWith(group.ToString(), MemberKeyPrefix), cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            if (Guid.TryParse(row.RowKey.AsSpan(MemberKeyPrefix.Length), out var member) && row.GetInt64("Revision") is { } revision)
            {
                noted[member] = revision;
            }
        }
        return noted;
    }

    private static string BlobName(Guid controlPlane, string hash) => SnapshotBlobNames.Snapshot(controlPlane, hash);
}
