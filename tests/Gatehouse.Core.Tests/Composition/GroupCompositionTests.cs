using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Tests.Composition;

public sealed class GroupCompositionTests
{
    private static readonly EntityProcessor s_processor = new(TimeProvider.System);
    private static readonly Guid s_a = Guid.Parse("00000000-0000-4000-8000-00000000000a");
    private static readonly Guid s_b = Guid.Parse("00000000-0000-4000-8000-00000000000b");

    private sealed class Member
    {
        public Dictionary<string, List<JsonObject>> Entities { get; } = [];

        public JsonObject Add(EntitySchema schema, object body)
        {
            var (entity, errors) = s_processor.Prepare(schema, JsonNode.Parse(JsonSerializer.Serialize(body))!.AsObject(), WriteMode.Insert);
            Assert.True(errors.Count == 0, string.Join("; ", errors));
            (Entities.TryGetValue(schema.Name, out var list) ? list : Entities[schema.Name] = []).Add(entity!);
            return entity!;
        }

        public IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> View => Entities.ToDictionary(p => p.Key, p => (IReadOnlyList<JsonObject>)p.Value);
    }

    private static (IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Entities, IReadOnlyList<GroupConflict> Conflicts) Compose(Member a, Member b) =>
        GroupComposition.Compose([(s_a, a.View), (s_b, b.View)]);

    [Fact]
    public void Members_without_overlap_compose_into_their_union()
    {
        var (a, b) = (new Member(), new Member());
        var service = a.Add(Services.Schema, new { name = "orders", host = "o.test" });
        a.Add(Routes.Schema, new { name = "orders", paths = new[] { "/o" }, service = new { id = EntityIndexes.IdOf(service) } });
        b.Add(Services.Schema, new { name = "billing", host = "b.test" });
        // Scoped plugins of one name, and string references across members (an ACL group), do not clash.
        a.Add(Plugins.Schema, new { name = "acl", service = new { id = EntityIndexes.IdOf(service) }, config = new { allow = new[] { "gold" } } });
        b.Add(Plugins.Schema, new { name = "acl", service = new { id = EntityIndexes.IdOf(b.Entities["services"][0]) }, config = new { allow = new[] { "gold" } } });

        var (entities, conflicts) = Compose(a, b);

        Assert.Empty(conflicts);
        Assert.Equal(2, entities["services"].Count);
        Assert.Equal(2, entities["plugins"].Count);
        Assert.Single(entities["routes"]);
    }

    [Theory]
    [InlineData("services", """{"name":"same","host":"a.test"}""", """{"name":"same","host":"b.test"}""", "name=same")]
    [InlineData("routes", """{"name":"same","paths":["/a"]}""", """{"name":"same","paths":["/b"]}""", "name=same")]
    [InlineData("consumers", """{"username":"alice"}""", """{"username":"alice"}""", "username=alice")]
    [InlineData("consumers", """{"custom_id":"c-1"}""", """{"custom_id":"c-1"}""", "custom_id=c-1")]
    [InlineData("consumer_groups", """{"name":"gold"}""", """{"name":"gold"}""", "name=gold")]
    [InlineData("upstreams", """{"name":"u.internal"}""", """{"name":"u.internal"}""", "name=u.internal")]
    [InlineData("vaults", """{"name":"env","prefix":"env-a"}""", """{"name":"aws","prefix":"env-a"}""", "prefix=env-a")]
    [InlineData("key-sets", """{"name":"jwks"}""", """{"name":"jwks"}""", "name=jwks")]
    [InlineData("plugins", """{"name":"cors"}""", """{"name":"cors"}""", "global plugin cors")]
    [InlineData("services", """{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f","host":"a.test"}""", """{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f","host":"b.test"}""", "ID=6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f")]
    public void Each_kind_of_conflict_is_listed_against_the_member_that_brings_it(string collection, string first, string second, string expected)
    {
        var (a, b) = (new Member(), new Member());
        var schema = KongSchemas.Find(collection)!;
        a.Add(schema, JsonNode.Parse(first)!);
        var clashing = b.Add(schema, JsonNode.Parse(second)!);

        var conflict = Assert.Single(Compose(a, b).Conflicts);

        Assert.Equal(s_b, conflict.ClusterId);
        Assert.Equal(EntityIndexes.IdOf(clashing), conflict.ResourceId);
        Assert.Equal(schema.Singular, conflict.ResourceType);
        Assert.Contains(expected, conflict.Description);
        Assert.StartsWith("conflicting entity found", conflict.Description);
    }

    [Fact]
    public void Sni_names_conflict_across_members()
    {
        var (a, b) = (new Member(), new Member());
        var certA = a.Add(Certificates.Schema, Certificate());
        var certB = b.Add(Certificates.Schema, Certificate());
        a.Add(Snis.Schema, new { name = "api.example.com", certificate = new { id = EntityIndexes.IdOf(certA) } });
        b.Add(Snis.Schema, new { name = "api.example.com", certificate = new { id = EntityIndexes.IdOf(certB) } });
        Assert.Contains(Compose(a, b).Conflicts, c => c.ResourceType == "sni" && c.Description.Contains("name=api.example.com", StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_conflict_on_Kongs_unique_values_and_an_acl_group_may_repeat()
    {
        var (a, b) = (new Member(), new Member());
        object Of(JsonObject consumer) => new { id = EntityIndexes.IdOf(consumer) };
        var alice = a.Add(Consumers.Schema, new { username = "alice" });
        var bob = b.Add(Consumers.Schema, new { username = "bob" });
        a.Add(ConsumerCredentials.KeyAuth, new { key = "shared-secret", consumer = Of(alice) });
        var clashingKey = b.Add(ConsumerCredentials.KeyAuth, new { key = "shared-secret", consumer = Of(bob) });
        a.Add(ConsumerCredentials.HmacAuth, new { username = "svc", consumer = Of(alice) });
        b.Add(ConsumerCredentials.HmacAuth, new { username = "svc", consumer = Of(bob) });
        a.Add(ConsumerCredentials.Acl, new { group = "gold", consumer = Of(alice) });
        b.Add(ConsumerCredentials.Acl, new { group = "gold", consumer = Of(bob) });
        // Subjects under CA certificates are local to the member the CA is in; a subject without one is not.
        a.Add(ConsumerCredentials.MtlsAuth, new { subject_name = "tied", consumer = Of(alice), ca_certificate = new { id = "00000000-0000-4000-8000-0000000000a1" } });
        b.Add(ConsumerCredentials.MtlsAuth, new { subject_name = "tied", consumer = Of(bob), ca_certificate = new { id = "00000000-0000-4000-8000-0000000000b1" } });
        a.Add(ConsumerCredentials.MtlsAuth, new { subject_name = "bare", consumer = Of(alice) });
        b.Add(ConsumerCredentials.MtlsAuth, new { subject_name = "bare", consumer = Of(bob) });

        var conflicts = Compose(a, b).Conflicts;

        Assert.Equal(["hmacauth_credential", "keyauth_credential", "mtls_auth_credential"], conflicts.Select(c => c.ResourceType).Order());
        var key = conflicts.Single(c => c.ResourceType == "keyauth_credential");
        Assert.Equal(EntityIndexes.IdOf(clashingKey), key.ResourceId);
        Assert.DoesNotContain("shared-secret", key.Description, StringComparison.Ordinal);
        Assert.Contains("key (a secret, not shown)", key.Description, StringComparison.Ordinal);
        Assert.EndsWith("username=svc", conflicts.Single(c => c.ResourceType == "hmacauth_credential").Description, StringComparison.Ordinal);
        Assert.EndsWith("subject_name=bare", conflicts.Single(c => c.ResourceType == "mtls_auth_credential").Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Composition_is_the_same_whatever_order_members_come_in()
    {
        var (a, b) = (new Member(), new Member());
        a.Add(Services.Schema, new { name = "s1", host = "a.test" });
        b.Add(Services.Schema, new { name = "s2", host = "b.test" });
        var forward = DeclarativeConfig.Render(GroupComposition.Compose([(s_a, a.View), (s_b, b.View)]).Entities).ToJsonString();
        var backward = DeclarativeConfig.Render(GroupComposition.Compose([(s_b, b.View), (s_a, a.View)]).Entities).ToJsonString();
        Assert.Equal(forward, backward);
    }

    private static object Certificate()
    {
        var pair = Gatehouse.Testing.TestCertificates.Server();
        return new { cert = pair.Certificate, key = pair.Key };
    }

    private static JsonObject CustomSchema(Member member, string name, string lua)
    {
        var schema = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["name"] = name, ["lua_schema"] = lua, ["created_at"] = 1, ["updated_at"] = 1 };
        (member.Entities.TryGetValue("plugin_schemas", out var list) ? list : member.Entities["plugin_schemas"] = []).Add(schema);
        return schema;
    }

    /// <summary>The plugins entity as a control plane holding that greeter schema validates it.</summary>
    private static EntitySchema Greeter(string lua) =>
        Plugins.For(new JsonObject { ["name"] = "greeter" }, null, _ => Gatehouse.Core.Entities.Schemas.CustomPlugins.CustomPluginSchemas.Parse(lua));

    private const string GreeterV1 = """return { name = "greeter", fields = { { config = { type = "record", fields = {} } } } }""";
    private const string GreeterV2 = """return { name = "greeter", fields = { { config = { type = "record", fields = { { loud = { type = "boolean" } } } } } } }""";

    [Fact]
    public void Custom_plugin_schemas_that_members_use_must_agree()
    {
        var (a, b) = (new Member(), new Member());
        CustomSchema(a, "greeter", GreeterV1);
        a.Add(Greeter(GreeterV1), new { name = "greeter", config = new { } });
        var differing = CustomSchema(b, "greeter", GreeterV2);
        var route = b.Add(Routes.Schema, new { name = "r", paths = new[] { "/r" } });
        b.Add(Greeter(GreeterV2), new { name = "greeter", route = new { id = EntityIndexes.IdOf(route) }, config = new { } });

        var conflict = Assert.Single(Compose(a, b).Conflicts);
        Assert.Equal(new GroupConflict(s_b, $"conflicting custom plugin schema: 'greeter' differs from the schema of that name on control plane {s_a}",
            EntityIndexes.IdOf(differing), "plugin_schema"), conflict);

        // The same text agrees; a schema its member has no plugin for is not used, so it cannot clash.
        differing["lua_schema"] = GreeterV1;
        Assert.Empty(Compose(a, b).Conflicts);
        differing["lua_schema"] = GreeterV2;
        b.Entities["plugins"].Clear();
        Assert.Empty(Compose(a, b).Conflicts);
    }
}
