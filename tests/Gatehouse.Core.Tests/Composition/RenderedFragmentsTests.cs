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

    [Fact]
    public void Rendering_from_kept_bytes_matches_rendering_from_nothing_through_every_kind_of_change()
    {
        var set = DeclarativeConfigTests.Everything();
        var fragments = new RenderedFragments();
        Assert.Equal(Fresh(set), Kept(set, fragments));

        var steps = new (string Name, Action Change)[]
        {
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
        };
        foreach (var (name, change) in steps)
        {
            change();
            var fresh = Fresh(set);
            Assert.True(fresh == Kept(set, fragments), $"after {name}, the kept render differs from a fresh one");
            HashesAreTheDocuments(DeclarativeConfig.Write(DeclarativeConfigTests.View(set), fragments));
            HashesAreTheDocuments(DeclarativeConfig.Write(DeclarativeConfigTests.View(set)));
        }
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
