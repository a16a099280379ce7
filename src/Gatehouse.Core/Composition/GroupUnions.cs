using System.Collections.Concurrent;

namespace Gatehouse.Core.Composition;

/// <summary>
/// The recomposer's kept <see cref="GroupUnion"/>s, one per group, so that a member's change costs
/// the group what changed (issue #16). Kept up to the entity cache's budget, the group composed
/// longest ago dropped first; a group alone over it is composed from nothing each time. It is the
/// only owner of these unions; one composition of a group runs at a time.
/// </summary>
public sealed class GroupUnions(EntityCacheSettings settings)
{
    private sealed class Entry
    {
        public GroupUnion Union { get; } = new();

        /// <summary>What the union was last composed from; null before its first composition.</summary>
        public SnapshotSource? Source { get; set; }

        public long LastUsed { get; set; }
    }

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private long _clock;

    /// <summary>How many groups are kept now.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The group composed from <paramref name="members"/>, which stand at <paramref name="source"/>;
    /// its changes count from the source the kept union was composed from before (none for a new one).
    /// </summary>
    public ComposedGroup Compose(Guid group, SnapshotSource source, IReadOnlyList<GroupMemberState> members)
    {
        var entry = _entries.GetOrAdd(group, _ => new Entry());
        ComposedGroup composed;
        lock (entry)
        {
            try
            {
                composed = entry.Union.Compose(members) with { ChangesSince = entry.Source, Holder = entry };
                entry.Source = source;
            }
            catch
            {
                // Half brought forward is not a state to compose from again.
                _entries.TryRemove(new KeyValuePair<Guid, Entry>(group, entry));
                throw;
            }
            entry.LastUsed = Interlocked.Increment(ref _clock);
        }
        EvictOverBudget(keep: group);
        return composed;
    }

    /// <summary>
    /// The members as the group's kept union last took them in, when it was composed at membership
    /// <paramref name="sequence"/>; none when it holds none or was composed at another membership.
    /// </summary>
    public IReadOnlyDictionary<Guid, GroupMemberState> KeptMembers(Guid group, long sequence)
    {
        if (!_entries.TryGetValue(group, out var entry))
        {
            return new Dictionary<Guid, GroupMemberState>();
        }
        lock (entry)
        {
            return entry.Source?.Revision == sequence ? new Dictionary<Guid, GroupMemberState>(entry.Union.Members) : new Dictionary<Guid, GroupMemberState>();
        }
    }

    /// <summary>Over budget, the groups composed longest ago go first; the one just composed stays unless it alone is over.</summary>
    private void EvictOverBudget(Guid keep)
    {
        var total = _entries.Values.Sum(e => e.Union.EntityCount);
        foreach (var (id, entry) in _entries.Where(e => e.Key != keep).OrderBy(e => e.Value.LastUsed).ToList())
        {
            if (total <= settings.MaxEntities)
            {
                return;
            }
            if (_entries.TryRemove(id, out _))
            {
                total -= entry.Union.EntityCount;
            }
        }
        if (total > settings.MaxEntities)
        {
            _entries.TryRemove(keep, out _);
        }
    }
}
