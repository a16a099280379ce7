using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Tests.Composition;

/// <summary>
/// Issue #16: a snapshot rendered from kept entity bytes is byte for byte the snapshot rendered
/// from nothing, whatever changed in between: a parent whose nested children (targets, SNIs,
/// credentials, group members) changed, or a consumer a group names its members by.
/// </summary>
public sealed class RenderedFragmentsTests
{
    private static string Fresh(Dictionary<string, List<JsonObject>> set) => Encoding.UTF8.GetString(DeclarativeConfig.Write(DeclarativeConfigTests.View(set)).Json.Span);

    private static string Kept(Dictionary<string, List<JsonObject>> set, RenderedFragments fragments) =>
        Encoding.UTF8.GetString(DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments).Json.Span);

    /// <summary>As the reader does: a changed entity is a new object; the old one is never touched.</summary>
    private static void Replace(Dictionary<string, List<JsonObject>> set, string collection, int index, Action<JsonObject> change)
    {
        var copy = set[collection][index].DeepClone().AsObject();
        change(copy);
        set[collection][index] = copy;
    }

    /// <summary>One change of every kind, each as the reader makes it: a changed entity is a new object.</summary>
    private static (string Name, Action Change)[] EveryKindOfChange(Dictionary<string, List<JsonObject>> set) =>
    [
        ("a target's weight", () => Replace(set, "targets", 0, t => t["weight"] = 7)),
        ("a target removed", () => set["targets"].RemoveAt(1)),
        ("an SNI renamed", () => Replace(set, "snis", 0, s => s["name"] = "other.example.com")),
        ("the consumer a group member is named by renamed", () => Replace(set, "consumers", 0, c => c["username"] = "alice-renamed")),
        ("a credential changed", () => Replace(set, ConsumerCredentials.KeyAuth.Name, 0, k => k["key"] = "rotated-key")),
        ("a credential removed", () => set[ConsumerCredentials.Acl.Name].Clear()),
        ("a service changed", () => Replace(set, "services", 0, s => s["retries"] = 9)),
        ("a route added out of id order", () => set["routes"].Insert(0, WithId(set["routes"][0], "ffffffff-ffff-4fff-8fff-ffffffffffff", "/later"))),
        ("a route added before the others", () => set["routes"].Add(WithId(set["routes"][0], "00000000-0000-4000-8000-000000000001", "/first"))),
        ("the group's membership removed", () => set["consumer_group_consumers"].Clear()),
    ];

    [Fact]
    public void Rendering_from_kept_bytes_matches_rendering_from_nothing_through_every_kind_of_change()
    {
        var set = DeclarativeConfigTests.Everything();
        var fragments = new RenderedFragments();
        Assert.Equal(Fresh(set), Kept(set, fragments));

        foreach (var (name, change) in EveryKindOfChange(set))
        {
            change();
            var fresh = Fresh(set);
            Assert.True(fresh == Kept(set, fragments), $"after {name}, the kept render differs from a fresh one");
            HashesAreTheDocuments(DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments));
            HashesAreTheDocuments(DeclarativeConfig.Write(DeclarativeConfigTests.View(set)));
        }
    }

    [Fact]
    public void Sections_copied_from_the_last_document_match_rendering_from_nothing_through_every_kind_of_change()
    {
        var set = DeclarativeConfigTests.Everything();
        var fragments = new RenderedFragments();
        var holder = new object();
        DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments, holder);

        foreach (var (name, change) in EveryKindOfChange(set))
        {
            change();
            var copiedBefore = fragments.SectionsCopied;
            SameAsFresh(set, fragments, holder, $"after {name}");
            // Every change touches one or two sections; the others (services, plugins, vaults, …) are copied.
            Assert.True(fragments.SectionsCopied - copiedBefore >= 5, $"after {name}, only {fragments.SectionsCopied - copiedBefore} sections were copied");
        }
    }

    [Fact]
    public void Only_the_section_whose_entities_changed_is_rendered_and_the_others_are_copied_with_their_hashes()
    {
        var set = DeclarativeConfigTests.Everything();
        var fragments = new RenderedFragments();
        var holder = new object();
        var first = DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments, holder);
        var sectionCount = fragments.SectionsRendered;
        Assert.True(sectionCount >= 8, $"the full set renders {sectionCount} sections");

        var again = DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments, holder);
        Assert.Equal((sectionCount, sectionCount), (fragments.SectionsRendered, fragments.SectionsCopied));
        Assert.True(first.Json.Span.SequenceEqual(again.Json.Span));
        Assert.Equal(first.Hashes, again.Hashes);

        Replace(set, "routes", 0, r => r["paths"] = new JsonArray("/moved"));
        var moved = DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments, holder);
        Assert.Equal(sectionCount + 1, fragments.SectionsRendered);
        Assert.Equal(2 * sectionCount - 1, fragments.SectionsCopied);
        Assert.NotEqual(first.Hashes.Routes, moved.Hashes.Routes);
        Assert.Equal(first.Hashes with { Config = "", Routes = "" }, moved.Hashes with { Config = "", Routes = "" });
        HashesAreTheDocuments(moved);

        // A credential nested in its consumer is a change to the consumers section, which is hashed with the rest.
        Replace(set, ConsumerCredentials.KeyAuth.Name, 0, k => k["key"] = "rotated-key");
        var rotated = DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments, holder);
        Assert.Equal(sectionCount + 2, fragments.SectionsRendered);
        Assert.NotEqual(moved.Hashes.Rest, rotated.Hashes.Rest);
        Assert.Equal(moved.Hashes.Routes, rotated.Hashes.Routes);
        HashesAreTheDocuments(rotated);
    }

    [Fact]
    public void Targets_sharing_entities_keep_their_own_sections_and_a_new_holder_starts_from_nothing()
    {
        var group = DeclarativeConfigTests.Everything();
        var member = group.ToDictionary(c => c.Key, c => c.Value.Take(1).ToList());
        var fragments = new RenderedFragments();
        var (groupUnion, memberEntry) = (new object(), new object());
        for (var round = 0; round < 3; round++)
        {
            // The member's entities are the group's own objects, as a group's union holds its members'.
            Replace(group, "services", 0, s => s["retries"] = round);
            member["services"][0] = group["services"][0];
            foreach (var (holder, set) in new[] { (groupUnion, group), (memberEntry, member), (groupUnion, group) })
            {
                var kept = DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments, holder);
                Assert.True(Fresh(set) == Encoding.UTF8.GetString(kept.Json.Span), $"round {round}: a target's render took another's sections");
                HashesAreTheDocuments(kept);
            }
        }
        Assert.True(fragments.SectionsCopied > 0);

        // What the reader read whole (a new entry) has no document kept with it.
        var copied = fragments.SectionsCopied;
        var fresh = DeclarativeConfig.Write(DeclarativeConfigTests.View(group), fragments, new object());
        Assert.Equal(copied, fragments.SectionsCopied);
        Assert.True(Fresh(group) == Encoding.UTF8.GetString(fresh.Json.Span));
    }

    [Fact]
    public void In_a_changed_section_the_unchanged_entities_are_copied_in_runs_with_the_same_bytes()
    {
        var set = DeclarativeConfigTests.Everything();
        var template = set["routes"][0];
        for (var n = 0; n < 40; n++)
        {
            set["routes"].Add(WithId(template, $"{n * 97 % 40:x8}-0000-4000-8000-{n:x12}", $"/r{n}"));
        }
        var fragments = new RenderedFragments();
        var holder = new object();
        DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments, holder);
        var routes = set["routes"];

        (string Name, Action Change, Func<int> Copied)[] changes =
        [
            ("one route changed", () => Replace(set, "routes", 20, r => r["paths"] = new JsonArray("/moved")), () => routes.Count - 1),
            ("the same route changed again", () => Replace(set, "routes", 20, r => r["paths"] = new JsonArray("/moved/again")), () => routes.Count - 1),
            ("a route removed", () => routes.RemoveAt(7), () => routes.Count),
            ("a route added among the others", () => routes.Add(WithId(template, "00000010-0000-4000-8000-000000000999", "/added")), () => routes.Count - 1),
            ("a route added after all", () => routes.Add(WithId(template, "ffffffff-ffff-4fff-8fff-ffffffffffff", "/last")), () => routes.Count - 1),
            ("the first route removed and another changed", () =>
            {
                routes.Remove(routes.MinBy(r => (string)r["id"]!, StringComparer.Ordinal)!);
                Replace(set, "routes", 3, r => r["paths"] = new JsonArray("/third"));
            }, () => routes.Count - 1),
            // The routes section is copied whole; the services section is written anew, in runs.
            ("a service changed, no route", () => Replace(set, "services", 0, s => s["retries"] = 4), () => set["services"].Count - 1),
        ];
        foreach (var (name, change, copied) in changes)
        {
            change();
            var before = fragments.EntitiesCopied;
            SameAsFresh(set, fragments, holder, $"after {name}");
            var expected = copied();
            Assert.True(expected == fragments.EntitiesCopied - before, $"after {name}: {fragments.EntitiesCopied - before} entities copied, {expected} expected");
        }
    }

    /// <summary>A render from what is kept with <paramref name="holder"/>: byte for byte and hash for hash a render from nothing.</summary>
    private static void SameAsFresh(Dictionary<string, List<JsonObject>> set, RenderedFragments fragments, object holder, string when)
    {
        var kept = DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments, holder);
        var fresh = DeclarativeConfig.Write(DeclarativeConfigTests.View(set));
        Assert.True(fresh.Json.Span.SequenceEqual(kept.Json.Span), $"{when}, the render from what was kept differs from a fresh one");
        Assert.Equal(fresh.Hashes, kept.Hashes);
        HashesAreTheDocuments(kept);
    }

    /// <summary>The renderer hashes each section as it writes it: the hashes a data plane reads off the document.</summary>
    private static void HashesAreTheDocuments(RenderedConfig rendered)
    {
        Assert.Equal(ConfigHash.Of(rendered.Json.Span), rendered.Hashes);
        Assert.NotEqual(rendered.Hashes.Upstreams, rendered.Hashes.Targets);
    }

    [Fact]
    public void An_unchanged_entity_is_not_rendered_again()
    {
        var set = DeclarativeConfigTests.Everything();
        var fragments = new RenderedFragments();
        var before = Kept(set, fragments);

        // Never done by the reader, whose objects stay as handed out: here it shows the bytes are kept, not re-rendered.
        set["services"][0]["retries"] = 9;

        Assert.Equal(before, Kept(set, fragments));
        Assert.NotEqual(before, Fresh(set));
    }

    private static JsonObject WithId(JsonObject route, string id, string path)
    {
        var copy = route.DeepClone().AsObject();
        copy["id"] = id;
        copy["name"] = null;
        copy["paths"] = new JsonArray(path);
        return copy;
    }
}
