using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Core.Tests.Composition;

public sealed class DeclarativeConfigTests
{
    private static readonly EntityProcessor s_processor = new(TimeProvider.System);

    /// <summary>A control plane holding every entity type, built through Kong's write pipeline.</summary>
    internal static Dictionary<string, List<JsonObject>> Everything()
    {
        var set = new Dictionary<string, List<JsonObject>>();
        JsonObject Add(EntitySchema schema, object body)
        {
            var (entity, errors) = s_processor.Prepare(schema, JsonNode.Parse(JsonSerializer.Serialize(body))!.AsObject(), WriteMode.Insert);
            Assert.True(errors.Count == 0, string.Join("; ", errors));
            (set.TryGetValue(schema.Name, out var list) ? list : set[schema.Name] = []).Add(entity!);
            return entity!;
        }
        static object Ref(JsonObject entity) => new { id = EntityIndexes.IdOf(entity) };

        var pair = TestCertificates.Server();
        var certificate = Add(Certificates.Schema, new { cert = pair.Certificate, key = pair.Key, tags = new[] { "edge" } });
        Add(Snis.Schema, new { name = "api.example.com", certificate = Ref(certificate) });
        var service = Add(Services.Schema, new { name = "orders", url = "https://orders.internal:8443/v1", client_certificate = Ref(certificate) });
        var route = Add(Routes.Schema, new { name = "orders-route", paths = new[] { "/orders" }, methods = new[] { "GET" }, service = Ref(service) });
        var consumer = Add(Consumers.Schema, new { username = "alice", custom_id = "a-1" });
        var group = Add(ConsumerGroups.Schema, new { name = "gold" });
        Add(ConsumerGroups.Membership, new { consumer_group = Ref(group), consumer = Ref(consumer) });
        Add(Plugins.Schema, new { name = "rate-limiting", config = new { minute = 5 } });
        Add(Plugins.Schema, new { name = "cors", route = Ref(route) });
        Add(Plugins.Schema, new { name = "key-auth", service = Ref(service) });
        Add(Plugins.Schema, new { name = "acl", consumer_group = Ref(group), config = new { allow = new[] { "gold" } } });
        var upstream = Add(Upstreams.Schema, new { name = "orders.internal", algorithm = "least-connections" });
        Add(Targets.Schema, new { target = "10.0.0.1:8080", weight = 50, upstream = Ref(upstream) });
        Add(Targets.Schema, new { target = "10.0.0.2", upstream = Ref(upstream) });
        Add(CaCertificates.Schema, new { cert = TestCertificates.CertificateAuthority() });
        Add(Vaults.Schema, new { name = "env", prefix = "my-env", config = new { prefix = "GH_" } });
        var keySet = Add(KeySets.Schema, new { name = "jwks" });
        Add(Keys.Schema, new { kid = "k1", jwk = JsonSerializer.Serialize(new { kid = "k1", kty = "oct", k = "c2VjcmV0" }), set = Ref(keySet) });
        Add(ConsumerCredentials.KeyAuth, new { key = "alice-key", consumer = Ref(consumer), ttl = 2_000_000_000 });
        Add(ConsumerCredentials.BasicAuth, new { username = "alice", password = "s3cr3t", consumer = Ref(consumer) });
        Add(ConsumerCredentials.HmacAuth, new { username = "alice-hmac", consumer = Ref(consumer) });
        Add(ConsumerCredentials.Jwt, new { key = "alice-iss", consumer = Ref(consumer) });
        Add(ConsumerCredentials.Acl, new { group = "gold", consumer = Ref(consumer) });
        Add(ConsumerCredentials.MtlsAuth, new { subject_name = "alice@example.com", consumer = Ref(consumer), ca_certificate = Ref(set["ca_certificates"][0]) });
        return set;
    }

    internal static IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> View(Dictionary<string, List<JsonObject>> set) =>
        set.ToDictionary(p => p.Key, p => (IReadOnlyList<JsonObject>)p.Value);

    [Fact]
    public void Every_entity_type_renders_valid_against_Kongs_declarative_schema()
    {
        var config = DeclarativeConfig.Render(View(Everything()));
        using var document = JsonDocument.Parse(config.ToJsonString());
        OpenApiAssert.Valid(ReferenceSpecs.KongDeclarativeConfig, document.RootElement);

        Assert.Equal("3.0", config["_format_version"]!.GetValue<string>());
        Assert.Equal(2, config["upstreams"]![0]!["targets"]!.AsArray().Count);
        Assert.Equal("api.example.com", config["certificates"]![0]!["snis"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("alice", config["consumer_groups"]![0]!["consumers"]![0]!["username"]!.GetValue<string>());
        Assert.False(config.ContainsKey("targets"));
        Assert.False(config.ContainsKey("snis"));
        Assert.DoesNotContain("created_at", config.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("null", config["services"]![0]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_are_nested_in_their_consumer_as_decK_writes_them_with_passwords_hashed_and_not_to_be_hashed_again()
    {
        var set = Everything();
        var consumer = set["consumers"][0];
        var config = DeclarativeConfig.Render(View(set));

        // Kong's export says so (export.lua:144): a loader must not hash the stored hashes again.
        Assert.False(config[DeclarativeConfig.TransformKey]!.GetValue<bool>());
        foreach (var schema in ConsumerCredentials.All)
        {
            Assert.False(config.ContainsKey(schema.DeclarativeKey), $"{schema.DeclarativeKey} is written at the top level");
            var nested = Assert.Single(config["consumers"]![0]![schema.DeclarativeKey]!.AsArray())!.AsObject();
            Assert.Equal(EntityIndexes.IdOf(set[schema.Name][0]), nested["id"]!.GetValue<string>());
            Assert.False(nested.ContainsKey("consumer"), "a nested credential names its consumer by where it is");
        }
        var rendered = config.ToJsonString();
        Assert.DoesNotContain("s3cr3t", rendered, StringComparison.Ordinal);
        Assert.Equal(BasicAuthPasswords.Hash(EntityIndexes.IdOf(consumer), "s3cr3t"),
            config["consumers"]![0]!["basicauth_credentials"]![0]!["password"]!.GetValue<string>());
        // The ttl a data plane reads is the Unix time the key expires (kong/db/strategies/off/init.lua:56-66).
        Assert.Equal(2_000_000_000, config["consumers"]![0]!["keyauth_credentials"]![0]!["ttl"]!.GetValue<long>());
        Assert.Equal(EntityIndexes.IdOf(set["ca_certificates"][0]),
            config["consumers"]![0]!["mtls_auth_credentials"]![0]!["ca_certificate"]!["id"]!.GetValue<string>());

        // Without basic-auth credentials there is nothing to transform, and the document says nothing of it.
        set.Remove(ConsumerCredentials.BasicAuth.Name);
        Assert.False(DeclarativeConfig.Render(View(set)).ContainsKey(DeclarativeConfig.TransformKey));
    }

    [Fact]
    public void An_mtls_credential_without_a_consumer_is_written_at_the_top_level()
    {
        var (entity, errors) = s_processor.Prepare(ConsumerCredentials.MtlsAuth, JsonNode.Parse("""{"subject_name":"orphan"}""")!.AsObject(), WriteMode.Insert);
        Assert.Empty(errors);
        var config = DeclarativeConfig.Render(new Dictionary<string, IReadOnlyList<JsonObject>> { [ConsumerCredentials.MtlsAuth.Name] = [entity!] });
        Assert.Equal("orphan", config["mtls_auth_credentials"]![0]!["subject_name"]!.GetValue<string>());
        Assert.False(config["mtls_auth_credentials"]![0]!.AsObject().ContainsKey("ca_certificate"));
    }

    [Fact]
    public void The_same_entities_in_any_order_render_byte_identical()
    {
        var set = Everything();
        var first = DeclarativeConfig.Render(View(set)).ToJsonString();
        var random = new Random(7);
        for (var i = 0; i < 5; i++)
        {
            var shuffled = set.OrderBy(_ => random.Next()).ToDictionary(p => p.Key, p => p.Value.OrderBy(_ => random.Next()).ToList());
            Assert.Equal(first, DeclarativeConfig.Render(View(shuffled)).ToJsonString());
            Assert.Equal(DeclarativeConfig.Write(View(set)).Hashes, DeclarativeConfig.Write(View(shuffled)).Hashes);
        }
    }

    [Theory]
    [InlineData("routes", "Routes")]
    [InlineData("services", "Services")]
    [InlineData("plugins", "Plugins")]
    [InlineData("upstreams", "Upstreams")]
    [InlineData("targets", "Targets")]
    [InlineData("consumers", "Rest")]
    [InlineData("vaults", "Rest")]
    public void A_change_in_one_section_changes_that_section_hash_and_the_config_hash_only(string collection, string section)
    {
        var set = Everything();
        var before = DeclarativeConfig.Write(View(set)).Hashes;
        var entity = set[collection][0];
        entity["tags"] = new JsonArray("changed");
        var after = DeclarativeConfig.Write(View(set)).Hashes;

        Assert.NotEqual(before.Config, after.Config);
        foreach (var name in new[] { "Routes", "Services", "Plugins", "Upstreams", "Targets", "Rest" })
        {
            var property = typeof(ConfigHash).GetProperty(name)!;
            var (b, a) = ((string)property.GetValue(before)!, (string)property.GetValue(after)!);
            if (name == section)
            {
                Assert.NotEqual(b, a);
            }
            else
            {
                Assert.True(b == a, $"changing {collection} changed the {name} hash too");
            }
        }
    }

    [Fact]
    public void Hashes_are_32_hex_and_an_empty_control_plane_has_one_too()
    {
        var empty = DeclarativeConfig.Write(new Dictionary<string, IReadOnlyList<JsonObject>>()).Hashes;
        Assert.Matches("^[0-9a-f]{32}$", empty.Config);
        Assert.NotEqual(empty.Config, DeclarativeConfig.Write(View(Everything())).Hashes.Config);
    }

    [Fact]
    public void The_document_is_the_bytes_nothing_after_the_closing_brace()
    {
        var rendered = DeclarativeConfig.Write(View(Everything()));
        Assert.Equal(rendered.Parse().ToJsonString(), System.Text.Encoding.UTF8.GetString(rendered.Json.Span));
    }
}
