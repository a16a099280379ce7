using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Versions;

namespace Gatehouse.Core.Composition;

/// <summary>One member of a group as the recomposer read it: its entities, and the revision they stood at when known.</summary>
public sealed record GroupMemberState(Guid Member, long? Revision, IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Entities);

/// <summary>
/// A group composed: the union of its members' entities, each collection by id; the conflicts it
/// has; and per collection how many entities the union added, changed (timestamps aside, as the
/// change log counts them) and removed since the union's previous composition.
/// </summary>
public sealed record ComposedGroup(
    IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Entities, IReadOnlyList<GroupConflict> Conflicts, IReadOnlyDictionary<string, EntityChangeCounts> Changes)
{
    /// <summary>
    /// What the union's previous composition was composed from (null: it had none), so what
    /// <see cref="Changes"/> count from; set by <see cref="GroupUnions"/>, which knows the sources.
    /// </summary>
    public SnapshotSource? ChangesSince { get; init; }

    /// <summary>What keeps the union in memory (<see cref="EntitySnapshot.Holder"/>); set by <see cref="GroupUnions"/>.</summary>
    public object? Holder { get; init; }
}

/// <summary>
/// A group's composition kept from one recomposition to the next (issue #16): the union of its
/// members' entities, each collection sorted by id, and for every value that must be unique across
/// the group (<see cref="GroupComposition"/>'s rules), which members' entities hold it. Composed
/// again, it works from what changed: a member still at the revision it was composed at is passed
/// over, and a changed member's entities are compared by object with what it held before (the
/// reader hands out the same object for an entity until it changes), so only the entities that
/// came and went touch the union and the index. Conflicts are then read off the few values more
/// than one member holds. A new instance composes from nothing: that is
/// <see cref="GroupComposition.Compose"/>, so the incremental and the full composition are one code.
/// Lists it hands out are never changed afterwards. Not safe for two compositions at once.
/// </summary>
public sealed class GroupUnion
{
    private readonly Dictionary<Guid, GroupMemberState> _members = [];
    private readonly Dictionary<string, List<JsonObject>> _union = new(StringComparer.Ordinal);

    // (collection, kind of key) → value → the (member, entity) pairs holding it.
    private readonly Dictionary<(string Collection, string Kind), Dictionary<string, Holders>> _holders = [];

    // The keys held by more than one member: the conflicts.
    private readonly HashSet<(string Collection, string Kind, string Value)> _contested = [];

    /// <summary>Who holds one value: nearly always a single entity, so the first is kept inline and the rest only when there are any.</summary>
    private struct Holders
    {
        public (Guid Member, JsonObject Entity) First;
        public List<(Guid Member, JsonObject Entity)>? More;

        public readonly IEnumerable<(Guid Member, JsonObject Entity)> All => More is null ? [First] : [First, .. More];

        public readonly bool Contested
        {
            get
            {
                var first = First.Member;
                return More?.Exists(h => h.Member != first) == true;
            }
        }
    }

    /// <summary>The members as the union last took them in.</summary>
    public IReadOnlyDictionary<Guid, GroupMemberState> Members => _members;

    /// <summary>How many entities the union holds: what it costs to keep.</summary>
    public int EntityCount { get; private set; }

    public ComposedGroup Compose(IEnumerable<GroupMemberState> members)
    {
        var given = members.ToDictionary(m => m.Member);
        var changes = new Dictionary<string, (HashSet<JsonObject> Removed, List<(Guid Member, JsonObject Entity)> Added)>(StringComparer.Ordinal);
        (HashSet<JsonObject> Removed, List<(Guid, JsonObject)> Added) ChangesOf(string collection) =>
            changes.TryGetValue(collection, out var held) ? held : changes[collection] = (new HashSet<JsonObject>(ReferenceEqualityComparer.Instance), []);

        foreach (var gone in _members.Keys.Where(m => !given.ContainsKey(m)).ToList())
        {
            foreach (var (collection, items) in _members[gone].Entities)
            {
                Unindex(gone, collection, items);
                ChangesOf(collection).Removed.UnionWith(items);
            }
            _members.Remove(gone);
        }
        foreach (var (id, member) in given)
        {
            var held = _members.GetValueOrDefault(id);
            if (held is not null && held.Revision is { } revision && revision == member.Revision)
            {
                continue;
            }
            foreach (var collection in member.Entities.Keys.Union(held?.Entities.Keys ?? []))
            {
                var now = member.Entities.GetValueOrDefault(collection) ?? [];
                var had = held?.Entities.GetValueOrDefault(collection);
                List<JsonObject> came;
                List<JsonObject> went;
                if (had is null)
                {
                    (came, went) = ([.. now], []);
                }
                else
                {
                    var before = new HashSet<JsonObject>(had, ReferenceEqualityComparer.Instance);
                    came = [.. now.Where(entity => !before.Remove(entity))];
                    went = [.. before];
                }
                if (came.Count + went.Count == 0)
                {
                    continue;
                }
                Unindex(id, collection, went);
                Index(id, collection, came);
                var (removed, added) = ChangesOf(collection);
                removed.UnionWith(went);
                added.AddRange(came.Select(entity => (id, entity)));
            }
            _members[id] = member;
        }

        var tally = new EntityChangeTally();
        foreach (var (collection, (removed, added)) in changes)
        {
            Count(tally, collection, removed, added);
            Merge(collection, removed, added);
        }
        EntityCount = _union.Values.Sum(list => list.Count);

        var ordered = _members.Values.OrderBy(m => m.Member).Select(m => (m.Member, m.Entities)).ToList();
        var conflicts = Conflicts();
        conflicts.AddRange(GroupComposition.CustomSchemaConflicts(ordered));
        return new ComposedGroup(_union.ToDictionary(p => p.Key, p => (IReadOnlyList<JsonObject>)new IdOrderedEntities(p.Value), StringComparer.Ordinal), conflicts, tally.Counts);
    }

    /// <summary>
    /// Tallies one collection's change by id: an id that went and came is one entity before and
    /// after, one that only came or only went is added or removed.
    /// </summary>
    private static void Count(EntityChangeTally tally, string collection, HashSet<JsonObject> removed, List<(Guid Member, JsonObject Entity)> added)
    {
        var went = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var entity in removed)
        {
            var id = EntityIndexes.IdOf(entity);
            (went.TryGetValue(id, out var held) ? held : went[id] = []).Add(entity);
        }
        foreach (var (_, entity) in added)
        {
            var id = EntityIndexes.IdOf(entity);
            JsonObject? was = null;
            if (went.TryGetValue(id, out var before) && before.Count > 0)
            {
                was = before[^1];
                before.RemoveAt(before.Count - 1);
            }
            tally.Count(collection, was, entity);
        }
        foreach (var was in went.Values.SelectMany(before => before))
        {
            tally.Count(collection, was, null);
        }
    }

    /// <summary>The collection's keys (<see cref="GroupComposition.KeysOf"/>), each with its values and who holds them.</summary>
    private (string Kind, Func<JsonObject, string?> Value, Dictionary<string, Holders> Values)[] KeysOf(string collection)
    {
        if (KongSchemas.Find(collection) is not { } schema)
        {
            return [];
        }
        return [.. GroupComposition.KeysOf(schema).Select(key => (key.Kind, key.Value,
            _holders.TryGetValue((collection, key.Kind), out var values) ? values : _holders[(collection, key.Kind)] = new(StringComparer.Ordinal)))];
    }

    private void Index(Guid member, string collection, List<JsonObject> entities)
    {
        var keys = KeysOf(collection);
        foreach (var entity in entities)
        {
            foreach (var (kind, valueOf, values) in keys)
            {
                if (valueOf(entity) is not { } value)
                {
                    continue;
                }
                ref var holders = ref CollectionsMarshal.GetValueRefOrAddDefault(values, value, out var exists);
                if (!exists)
                {
                    holders.First = (member, entity);
                    continue;
                }
                (holders.More ??= []).Add((member, entity));
                if (holders.Contested)
                {
                    _contested.Add((collection, kind, value));
                }
            }
        }
    }

    private void Unindex(Guid member, string collection, IEnumerable<JsonObject> entities)
    {
        var keys = KeysOf(collection);
        foreach (var entity in entities)
        {
            foreach (var (kind, valueOf, values) in keys)
            {
                if (valueOf(entity) is not { } value || !values.TryGetValue(value, out var holders))
                {
                    continue;
                }
                var rest = holders.All.Where(h => !(h.Member == member && ReferenceEquals(h.Entity, entity))).ToList();
                if (rest.Count == 0)
                {
                    values.Remove(value);
                    _contested.Remove((collection, kind, value));
                    continue;
                }
                var now = new Holders { First = rest[0], More = rest.Count > 1 ? rest[1..] : null };
                values[value] = now;
                if (!now.Contested)
                {
                    _contested.Remove((collection, kind, value));
                }
            }
        }
    }

    /// <summary>
    /// The collection's sorted union less what went, with what came merged in by id. Where two
    /// members hold one id (a conflict), the lower member comes first, as a stable sort of the
    /// members' lists in member order would put them.
    /// </summary>
    private void Merge(string collection, HashSet<JsonObject> removed, List<(Guid Member, JsonObject Entity)> added)
    {
        var kept = (_union.GetValueOrDefault(collection) ?? []).Where(e => !removed.Contains(e)).ToList();
        var incoming = added.ToArray();
        var ids = Array.ConvertAll(incoming, a => EntityIndexes.IdOf(a.Entity));
        Array.Sort(ids, incoming, StringComparer.Ordinal);
        // Array.Sort is not stable: one id in two members (a conflict) goes by member, as a stable sort in member order would put it.
        for (var run = 0; run < ids.Length;)
        {
            var end = run + 1;
            while (end < ids.Length && ids[end] == ids[run])
            {
                end++;
            }
            if (end - run > 1)
            {
                Array.Sort(incoming, run, end - run, Comparer<(Guid Member, JsonObject Entity)>.Create((x, y) => x.Member.CompareTo(y.Member)));
            }
            run = end;
        }
        // Each newcomer's place found by binary search: a change costs the collection a copy, not an id read per entity.
        var merged = new List<JsonObject>(kept.Count + incoming.Length);
        var k = 0;
        foreach (var item in incoming)
        {
            var (low, high) = (k, kept.Count);
            while (low < high)
            {
                var middle = (low + high) / 2;
                (low, high) = Before(collection, kept[middle], item) ? (middle + 1, high) : (low, middle);
            }
            merged.AddRange(kept.Skip(k).Take(low - k));
            merged.Add(item.Entity);
            k = low;
        }
        merged.AddRange(kept.Skip(k));
        if (merged.Count == 0)
        {
            _union.Remove(collection);
        }
        else
        {
            _union[collection] = merged;
        }
    }

    private bool Before(string collection, JsonObject kept, (Guid Member, JsonObject Entity) incoming)
    {
        var order = string.CompareOrdinal(EntityIndexes.IdOf(kept), EntityIndexes.IdOf(incoming.Entity));
        return order != 0 ? order < 0 : MemberOf(collection, kept).CompareTo(incoming.Member) < 0;
    }

    private Guid MemberOf(string collection, JsonObject entity) =>
        _holders.TryGetValue((collection, "id"), out var values) && values.TryGetValue(EntityIndexes.IdOf(entity), out var holders)
            ? holders.All.FirstOrDefault(h => ReferenceEquals(h.Entity, entity)).Member
            : Guid.Empty;

    /// <summary>
    /// Each entity holding a contested value, but for those of the lowest member holding it, in the
    /// order a pass over the members would meet them: by member, collection, place in the member's
    /// list, then kind of key.
    /// </summary>
    private List<GroupConflict> Conflicts()
    {
        var found = new List<(Guid Member, string Collection, int Place, int Key, GroupConflict Conflict)>();
        foreach (var (collection, kind, value) in _contested)
        {
            var schema = KongSchemas.Find(collection)!;
            var keyIndex = Array.FindIndex(GroupComposition.KeysOf(schema), k => k.Kind == kind);
            var holders = _holders[(collection, kind)][value].All.ToList();
            var first = holders.Min(h => h.Member);
            foreach (var (member, entity) in holders.Where(h => h.Member != first))
            {
                var place = _members[member].Entities[collection] is var list ? IndexOf(list, entity) : -1;
                found.Add((member, collection, place, keyIndex, GroupComposition.Conflict(member, schema, kind, value, entity)));
            }
        }
        return [.. found.OrderBy(f => f.Member).ThenBy(f => f.Collection, StringComparer.Ordinal).ThenBy(f => f.Place).ThenBy(f => f.Key).Select(f => f.Conflict)];
    }

    private static int IndexOf(IReadOnlyList<JsonObject> list, JsonObject entity)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], entity))
            {
                return i;
            }
        }
        return -1;
    }
}
