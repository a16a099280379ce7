using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Tests.Entities;

/// <summary>
/// Fields and checks written as Kong's schema JSON (kong/api/api_helpers.lua:155-231): each rule
/// under its Kong name, code left out, as Kong leaves out its functions.
/// </summary>
public sealed partial class KongSchemaJsonTests
{
    // As the API writes it: '+' and '<' as they are, not \u-escaped.
    private static readonly JsonSerializerOptions s_relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(Field field) => KongSchemaJson.Attributes(field).ToJsonString(s_relaxed);

    [Fact]
    public void Named_validators_are_written_under_Kongs_keys_and_integral_bounds_as_integers()
    {
        Assert.Equal("""{"type":"integer","default":6379,"between":[0,65535]}""", Json(Typedefs.Port("port", @default: 6379)));
        Assert.Equal("""{"type":"number","gt":0}""", Json(new Field("minute", FieldType.Number).With(GreaterThan(0))));
        Assert.Equal("""{"type":"number","gt":0.5}""", Json(new Field("x", FieldType.Number).With(GreaterThan(0.5))));
        Assert.Equal("""{"type":"string","len_min":2,"len_max":8,"starts_with":"/","not_one_of":["a"]}""",
            Json(new Field("s", FieldType.String).With(LengthMin(2), LengthMax(8), StartsWith("/"), NotOneOf("a"))));
        Assert.Equal("""{"type":"array","elements":{"type":"string","is_regex":true}}""",
            Json(new Field("patterns", FieldType.Array) { Elements = new Field("p", FieldType.String).With(IsRegex) }));
        Assert.Equal("""{"type":"integer","one_of":[301,302]}""", Json(new Field("code", FieldType.Integer).With(OneOfIntegers(301, 302))));
        Assert.Equal("""{"type":"string","uuid":true}""", Json(new Field("id", FieldType.String).With(Uuid)));
    }

    [Fact]
    public void Two_rules_from_one_factory_keep_their_own_values()
    {
        var low = Between(1, 2);
        var high = Between(3, 4);
        Assert.Equal("[1,2]", SchemaRules.Of(low)!.Value!.ToJsonString());
        Assert.Equal("[3,4]", SchemaRules.Of(high)!.Value!.ToJsonString());
    }

    [Fact]
    public void A_match_is_Kongs_only_with_Kongs_Lua_pattern_and_code_is_left_out()
    {
        Assert.Equal("""{"type":"string","match":"^%u+$"}""", Json(new Field("m", FieldType.String).With(Match(UpperCase(), luaPattern: "^%u+$"))));
        Assert.Equal("""{"type":"string"}""", Json(new Field("m", FieldType.String).With(Match(UpperCase()))));
        Assert.Equal("""{"type":"string"}""", Json(new Field("host", FieldType.String).With(_ => null)));
    }

    [Fact]
    public void Field_attributes_and_containers_are_written_as_Kong_declares_them()
    {
        Assert.Equal("""{"type":"string","len_min":0,"referenceable":true}""",
            Json(new Field("password", FieldType.String) { EmptyAllowed = true, Referenceable = true }));
        Assert.Equal("""{"type":"map","keys":{"type":"string"},"values":{"type":"integer"}}""",
            Json(new Field("m", FieldType.Map) { Keys = new Field("k", FieldType.String), Elements = new Field("v", FieldType.Integer) }));
        // Records are required unless they say otherwise (kong/db/schema/entity.lua:13-24).
        Assert.Equal("""{"type":"record","required":true,"fields":[{"a":{"type":"boolean","required":true,"default":false}}]}""",
            Json(PluginFields.Record("r", PluginFields.Bool("a", false))));
        Assert.Equal("""{"type":"record","required":false,"fields":[]}""", Json(new Field("pem", FieldType.Record) { Optional = true, Fields = [] }));
        Assert.Equal("""{"type":"foreign","reference":"services","on_delete":"cascade"}""",
            Json(Typedefs.Foreign("service", "services", OnDelete.Cascade)));
    }

    [Fact]
    public void Entity_checks_keep_their_order_and_a_conditional_with_a_custom_matcher_is_left_out()
    {
        var checks = KongSchemaJson.Checks(
        [
            AtLeastOneOf("config.allow", "config.deny"),
            Conditional("config.policy", Is("redis"), "config.redis.host", Required),
            Conditional("protocol", IsNot("tcp", "tls"), "path", MustBeNull),
            Conditional("x", node => node is not null, "y", Required),
            (_, _) => [],
            Custom(["config.a"], _ => null),
            MutuallyRequired("a", "b"),
        ]);
        Assert.Equal(
            """[{"at_least_one_of":["config.allow","config.deny"]},""" +
            """{"conditional":{"if_field":"config.policy","if_match":{"eq":"redis"},"then_field":"config.redis.host","then_match":{"required":true}}},""" +
            """{"conditional":{"if_field":"protocol","if_match":{"not_one_of":["tcp","tls"]},"then_field":"path","then_match":{"eq":null}}},""" +
            """{"custom_entity_check":{"field_sources":["config.a"]}},{"mutually_required":["a","b"]}]""",
            checks.ToJsonString());
    }

    [Fact]
    public void Jwts_conditional_is_written_as_Kongs_with_gt_and_contains_and_still_decides()
    {
        // kong/plugins/jwt/schema.lua:52-59 at 3.9.3.
        Assert.Equal(
            """[{"conditional":{"if_field":"config.maximum_expiration","if_match":{"gt":0},"then_field":"config.claims_to_verify","then_match":{"contains":"exp"}}}]""",
            KongSchemaJson.Plugin(Jwt.Schema)["entity_checks"]!.ToJsonString());
        var processor = new EntityProcessor(TimeProvider.System);
        var (_, refused) = processor.Prepare(Plugins.Schema, JsonNode.Parse("""{"name":"jwt","config":{"maximum_expiration":60,"claims_to_verify":["nbf"]}}""")!.AsObject(), WriteMode.Insert);
        Assert.Contains(refused, e => e.Path == "config.claims_to_verify" && e.Message == "expected to contain: exp");
        var (accepted, errors) = processor.Prepare(Plugins.Schema, JsonNode.Parse("""{"name":"jwt","config":{"maximum_expiration":60,"claims_to_verify":["exp"]}}""")!.AsObject(), WriteMode.Insert);
        Assert.True(accepted is not null, string.Join("; ", errors));
    }

    [Theory]
    // Each as its schema.lua at 3.9.3 writes it (file-log's is a long string, so its %% is two characters).
    [InlineData("file-log", "config.path", "match", "\"^[^*&%%`]+$\"")]
    [InlineData("request-transformer", "config.http_method", "match", "\"^%u+$\"")]
    [InlineData("acme", "config.account_email", "match", "\"%w*%p*@+%w*%.?%w*\"")]
    [InlineData("datadog", "config.metrics.[].tags.[]", "match", "\"^.*[^:]$\"")]
    [InlineData("statsd", "config.allow_status_codes.[]", "match", "\"^[0-9]+-[0-9]+$\"")]
    [InlineData("response-transformer", "config.add.headers.[]", "match", "\"^[^:]+:.*$\"")]
    [InlineData("http-log", "config.headers.keys", "match_none",
        """[{"pattern":"^[Hh][Oo][Ss][Tt]$","err":"cannot contain 'Host' header"},""" +
        """{"pattern":"^[Cc][Oo][Nn][Tt][Ee][Nn][Tt]%-[Ll][Ee][nn][Gg][Tt][Hh]$","err":"cannot contain 'Content-Length' header"},""" +
        """{"pattern":"^[Cc][Oo][Nn][Tt][Ee][Nn][Tt]%-[Tt][Yy][Pp][Ee]$","err":"cannot contain 'Content-Type' header"}]""")]
    public void Bundled_patterns_are_written_as_Kongs_Lua_patterns(string plugin, string path, string rule, string expected)
    {
        JsonNode field = KongSchemaJson.Plugin(PluginSchemas.Find(plugin)!);
        foreach (var step in path.Split('.'))
        {
            field = step switch
            {
                "[]" => field["elements"]!,
                "keys" => field["keys"]!,
                _ => field["fields"]!.AsArray().Select(f => f![step]).Single(f => f is not null)!,
            };
        }
        Assert.Equal(expected, field[rule]!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void A_plugin_lists_the_references_it_refuses_then_protocols_then_config()
    {
        var plugin = new PluginSchema("p", PluginFields.Config(PluginFields.Text("realm"))) { NoConsumer = true, NoRoute = true, Protocols = PluginFields.HttpOnly };
        var json = KongSchemaJson.Plugin(plugin);
        Assert.Equal(["consumer", "route", "protocols", "config"], json["fields"]!.AsArray().Select(f => f!.AsObject().Single().Key));
        Assert.Equal("""{"type":"foreign","reference":"consumers","eq":null}""", json["fields"]![0]!["consumer"]!.ToJsonString());
        Assert.Equal("""{"type":"set","required":true,"default":["grpc","grpcs","http","https"],"elements":{"type":"string","one_of":["grpc","grpcs","http","https"]}}""",
            json["fields"]![2]!["protocols"]!.ToJsonString());
        Assert.Equal("[]", json["entity_checks"]!.ToJsonString());
    }

    [Fact]
    public void Naming_does_not_change_what_a_rule_decides()
    {
        Assert.Null(OneOf("a", "b")(JsonValue.Create("a")));
        Assert.Equal("expected one of: a, b", OneOf("a", "b")(JsonValue.Create("c")));
        Assert.True(Is("redis")(JsonValue.Create("redis")));
        Assert.False(IsNot("redis")(JsonValue.Create("redis")));
        Assert.Equal("expected one of: none", OneOfValues("none")(JsonValue.Create("ip")));
    }

    [GeneratedRegex(@"^[A-Z]+\z")]
    private static partial Regex UpperCase();
}
