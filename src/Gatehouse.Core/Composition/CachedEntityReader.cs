using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gatehouse.Core.Versions;

namespace Gatehouse.Core.Composition;

/// <summary>
/// How much the recomposer keeps in memory, how many changes it reads one by one before reading
/// everything, and how many change log rows the sweeper keeps behind each snapshot (a reader
/// whose entities are older reads the control plane whole, as it would past a few hundred changes).
/// </summary>
public sealed record EntityCacheSettings(int MaxEntities = 100_000, int MaxChangesPerRead = 256, int ChangeLogKept = 1000);

/// <summary>
/// The recomposer's reader (issue #16): it keeps each control plane's entities in memory at a
/// revision, and brings them to the current one by reading only what the change log says changed
/// since. It reads everything when it holds nothing for the control plane, when the log cannot
/// say (it was trimmed, or a commit predates it), or when more changed than reading one by one is
/// worth. Entities are kept up to a budget, the least recently read control plane evicted first.
/// It is the only owner of this cache; the entities it hands out must not be changed.
/// </summary>
public sealed class CachedEntityReader(IEntityReader full, IEntityChangeReader changes, EntityCacheSettings settings) : IEntityReader
{
    private sealed class Entry(long revision, Dictionary<string, SortedDictionary<string, JsonObject>> entities)
    {
        public long Revision { get; set; } = revision;

        public Dictionary<string, SortedDictionary<string, JsonObject>> Entities { get; } = entities;

        /// <summary>Kept apart from <see cref="Entities"/>, which only its control plane's reader may touch, so eviction can count without it.</summary>
        public int Count { get; set; } = entities.Values.Sum(c => c.Count);

        public long LastRead { get; set; }
    }

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _turns = new();
    private long _clock;

    private long _incremental;
    private long _full;

    /// <summary>Reads brought forward from the change log, and reads of everything: what the cache saves, for logs and tests.</summary>
    public long IncrementalReads => Interlocked.Read(ref _incremental);

    public long FullReads => Interlocked.Read(ref _full);

    public async Task<EntitySnapshot> ReadAllAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        // One read per control plane at a time: each brings the same entry forward.
        var turn = _turns.GetOrAdd(controlPlane, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_entries.TryGetValue(controlPlane, out var entry)
                && await changes.ReadChangesAsync(controlPlane, entry.Revision, settings.MaxChangesPerRead, cancellationToken).ConfigureAwait(false) is { } delta)
            {
                Interlocked.Increment(ref _incremental);
                var since = new EntityChangesSince(entry.Revision, Apply(entry, delta), delta.MadeBy);
                var current = Snapshot(entry, delta.Deleted, delta.Importing) with { Since = since };
                if (delta.Deleted)
                {
                    _entries.TryRemove(controlPlane, out _);
                }
                EvictOverBudget(keep: controlPlane);
                return current;
            }
            Interlocked.Increment(ref _full);
            var read = await full.ReadAllAsync(controlPlane, cancellationToken).ConfigureAwait(false);
            return read with { Holder = Remember(controlPlane, read) };
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>Brings the entry to the delta's revision; says, per collection, how many entities that added, changed and removed.</summary>
    private IReadOnlyDictionary<string, EntityChangeCounts> Apply(Entry entry, EntityDelta delta)
    {
        var tally = new EntityChangeTally();
        delta.ApplyTo(entry.Entities, (change, before) => tally.Count(change.Collection, before, change.Entity));
        entry.Count = entry.Entities.Values.Sum(c => c.Count);
        entry.Revision = delta.Revision;
        entry.LastRead = Interlocked.Increment(ref _clock);
        return tally.Counts;
    }

    /// <summary>In each collection by id, as the store lists them.</summary>
    private static EntitySnapshot Snapshot(Entry entry, bool deleted, bool importing) =>
        new(entry.Revision, deleted, entry.Entities.Where(c => c.Value.Count > 0).ToDictionary(c => c.Key, c => (IReadOnlyList<JsonObject>)new IdOrderedEntities([.. c.Value.Values])))
        {
            Importing = importing,
            Holder = entry,
        };

    /// <summary>Keeps the entities read, and says what holds them (<see cref="EntitySnapshot.Holder"/>); null when they are not kept.</summary>
    private object? Remember(Guid controlPlane, EntitySnapshot snapshot)
    {
        var count = snapshot.Entities.Values.Sum(c => c.Count);
        if (snapshot.Deleted || count > settings.MaxEntities)
        {
            _entries.TryRemove(controlPlane, out _);
            return null;
        }
        var entities = snapshot.Entities.ToDictionary(
            c => c.Key,
            c => new SortedDictionary<string, JsonObject>(c.Value.ToDictionary(e => e["id"]!.GetValue<string>()), StringComparer.Ordinal),
            StringComparer.Ordinal);
        var entry = new Entry(snapshot.Revision, entities) { LastRead = Interlocked.Increment(ref _clock) };
        _entries[controlPlane] = entry;
        EvictOverBudget(keep: controlPlane);
        return entry;
    }

    /// <summary>Over budget, the control planes read longest ago go first; the one just read stays unless it alone is over.</summary>
    private void EvictOverBudget(Guid keep)
    {
        var total = _entries.Values.Sum(e => e.Count);
        foreach (var (id, entry) in _entries.Where(e => e.Key != keep).OrderBy(e => e.Value.LastRead).ToList())
        {
            if (total <= settings.MaxEntities)
            {
                return;
            }
            if (_entries.TryRemove(id, out _))
            {
                total -= entry.Count;
            }
        }
        if (total > settings.MaxEntities)
        {
            _entries.TryRemove(keep, out _);
        }
    }
}
