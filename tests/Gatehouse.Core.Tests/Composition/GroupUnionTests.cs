using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Versions;

namespace Gatehouse.Core.Tests.Composition;

/// <summary>
/// A group's union kept from one composition to the next equals the group composed from nothing
/// after every change, conflicts included (issue #16: conflict detection from the change), and
/// counts what changed as comparing the two snapshots would (a group's version record).
/// </summary>
public sealed class GroupUnionTests
{
    private static readonly EntityProcessor s_processor = new(TimeProvider.System);

    private sealed class Member(Guid id)
    {
        public Guid Id { get; } = id;

        public long Revision { get; set; } = 1;

        public Dictionary<string, SortedDictionary<string, JsonObject>> Entities { get; } = new(StringComparer.Ordinal);

        // As the reader hands them out: a new dictionary and new lists each read, the same entity objects.
        public GroupMemberState State(bool withRevision) => new(Id, withRevision ? Revision : null,
            Entities.Where(c => c.Value.Count > 0).ToDictionary(c => c.Key, c => (IReadOnlyList<JsonObject>)[.. c.Value.Values], StringComparer.Ordinal));

        public void Put(string collection, JsonObject entity)
        {
            (Entities.TryGetValue(collection, out var held) ? held : Entities[collection] = new(StringComparer.Ordinal))[EntityIndexes.IdOf(entity)] = entity;
            Revision++;
        }
    }

    private static JsonObject Make(EntitySchema schema, string json)
    {
        var (entity, errors) = s_processor.Prepare(schema, JsonNode.Parse(json)!.AsObject(), WriteMode.Insert);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        return entity!;
    }

    [Theory]
    [InlineData(1606)]
    [InlineData(7)]
    [InlineData(99)]
    public void After_every_random_change_the_kept_union_is_the_union_composed_from_nothing(int seed)
    {
        var random = new Random(seed);
        var members = Enumerable.Range(0, 4).Select(_ => new Member(Guid.NewGuid())).ToList();
        var inGroup = new HashSet<Member>(members.Take(3));
        var union = new GroupUnion();
        var (contestedSeen, countsCompared) = (0, 0);
        // The snapshot of the union's previous composition, when it had no conflicts (a conflicted union is never a snapshot).
        (bool Comparable, JsonObject? Document) previous = (true, null);

        for (var step = 0; step < 300; step++)
        {
            var member = members[random.Next(members.Count)];
            switch (random.Next(10))
            {
                case 0 or 1:
                    // Names from a small pool, so members clash now and then.
                    member.Put("services", Make(Services.Schema, $$"""{"name":"svc-{{random.Next(12)}}","host":"h{{random.Next(3)}}.test"}"""));
                    break;
                case 2:
                    member.Put("consumers", Make(Consumers.Schema, $$"""{"username":"user-{{random.Next(12)}}"}"""));
                    break;
                case 3:
                    // A global plugin: one of a name per group.
                    member.Put("plugins", Make(Plugins.Schema, $$"""{"name":"{{(random.Next(2) == 0 ? "cors" : "correlation-id")}}"}"""));
                    break;
                case 4 when members.Except([member]).SelectMany(m => m.Entities.TryGetValue("services", out var held) ? held.Values : Enumerable.Empty<JsonObject>()).ToList() is { Count: > 0 } others:
                    // The same id in two members: a copy of another member's service.
                    member.Put("services", others[random.Next(others.Count)].DeepClone().AsObject());
                    break;
                case 5 or 6 when member.Entities.Values.Where(c => c.Count > 0).ToList() is { Count: > 0 } collections:
                    {
                        // An update: a new object for the same id, as the reader hands out after a change.
                        var collection = collections[random.Next(collections.Count)];
                        var entity = collection.Values.ElementAt(random.Next(collection.Count)).DeepClone().AsObject();
                        entity["tags"] = new JsonArray($"t{step}");
                        collection[EntityIndexes.IdOf(entity)] = entity;
                        member.Revision++;
                        break;
                    }
                case 7 when member.Entities.Values.Where(c => c.Count > 0).ToList() is { Count: > 0 } collections:
                    {
                        var collection = collections[random.Next(collections.Count)];
                        collection.Remove(collection.Keys.ElementAt(random.Next(collection.Count)));
                        member.Revision++;
                        break;
                    }
                case 8:
                    // A member joins or leaves the group.
                    if (!inGroup.Remove(member))
                    {
                        inGroup.Add(member);
                    }
                    break;
                default:
                    // Nothing changed: the member is read again at the same revision.
                    break;
            }

            var withRevisions = random.Next(4) != 0;
            var states = inGroup.Select(m => m.State(withRevisions)).ToList();
            var (kept, keptConflicts, keptChanges) = union.Compose(states);
            var (fresh, freshConflicts) = GroupComposition.Compose(inGroup.Select(m => (m.Id, m.State(false).Entities)));

            Assert.Equal(fresh.Keys.Order(), kept.Keys.Order());
            foreach (var (collection, list) in fresh)
            {
                Assert.True(list.SequenceEqual(kept[collection], ReferenceEqualityComparer.Instance), $"step {step}: {collection} differs");
                // As the members' lists, in member order, sorted by id with a stable sort.
                var expected = states.OrderBy(s => s.Member).SelectMany(s => s.Entities.GetValueOrDefault(collection) ?? []).OrderBy(EntityIndexes.IdOf, StringComparer.Ordinal);
                Assert.True(expected.SequenceEqual(kept[collection], ReferenceEqualityComparer.Instance), $"step {step}: {collection} is not in id then member order");
            }
            Assert.Equal(freshConflicts, keptConflicts);
            Assert.Equal(fresh.Values.Sum(l => l.Count), union.EntityCount);
            Assert.Equal(DeclarativeConfig.Write(fresh).Hashes, DeclarativeConfig.Write(kept).Hashes);
            contestedSeen += keptConflicts.Count > 0 ? 1 : 0;

            var document = keptConflicts.Count == 0 ? DeclarativeConfig.Render(fresh) : null;
            if (document is not null && previous.Comparable)
            {
                var expected = VersionChanges.Between(previous.Document, document);
                Assert.True(Describe(expected) == Describe(keptChanges), $"seed {seed}, step {step}: counted {Describe(keptChanges)}, the snapshots say {Describe(expected)}");
                countsCompared++;
            }
            previous = (document is not null, document);
        }
        // The walk must have gone through conflicts, and out of them, for the comparison to mean anything.
        Assert.InRange(contestedSeen, 1, 299);
        Assert.True(countsCompared > 40, $"seed {seed}: counts compared at only {countsCompared} steps");
    }

    [Fact]
    public void A_conflict_resolved_in_one_member_leaves_the_group_and_the_union_keeps_the_other_members_entities()
    {
        var (a, b) = (new Member(Guid.Parse("00000000-0000-4000-8000-00000000000a")), new Member(Guid.Parse("00000000-0000-4000-8000-00000000000b")));
        a.Put("services", Make(Services.Schema, """{"name":"orders","host":"a.test"}"""));
        b.Put("services", Make(Services.Schema, """{"name":"orders","host":"b.test"}"""));
        b.Put("services", Make(Services.Schema, """{"name":"billing","host":"b.test"}"""));
        var union = new GroupUnion();

        var conflicts = union.Compose([a.State(true), b.State(true)]).Conflicts;
        var conflict = Assert.Single(conflicts);
        Assert.Equal(b.Id, conflict.ClusterId);
        Assert.Contains("name=orders", conflict.Description);

        var orders = b.Entities["services"].Single(e => e.Value["name"]!.GetValue<string>() == "orders").Key;
        b.Entities["services"].Remove(orders);
        b.Revision++;
        var (entities, after, _) = union.Compose([a.State(true), b.State(true)]);

        Assert.Empty(after);
        Assert.Equal(["billing", "orders"], entities["services"].Select(s => s["name"]!.GetValue<string>()).Order());
    }

    private static string Describe(IReadOnlyDictionary<string, EntityChangeCounts> counts) =>
        string.Join("; ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} +{c.Value.Added} ~{c.Value.Changed} -{c.Value.Removed}"));
}
