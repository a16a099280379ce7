using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.CustomPlugins;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;

namespace Gatehouse.Core.Tests.Entities.CustomPlugins;

/// <summary>Real Kong 3.9.3 schema.lua files (KongLua/README.md) read as uploads, against the bundled schemas Gatehouse wrote by hand.</summary>
public sealed class LuaSchemaConverterTests
{
    public static TheoryData<string> Declarative => ["key-auth", "basic-auth", "acl", "correlation-id", "hmac-auth", "ip-restriction", "bot-detection", "jwt"];

    private static string KongLua(string plugin) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Entities", "CustomPlugins", "KongLua", $"{plugin}.lua"));

    /// <summary>The plugins entity as it validates a plugin that names <paramref name="schema"/>, on a control plane that uploaded it.</summary>
    public static EntitySchema PluginsWith(PluginSchema schema) =>
        Plugins.For(new JsonObject { ["name"] = schema.Name }, null, name => name == schema.Name ? schema : null);

    [Theory]
    [MemberData(nameof(Declarative))]
    public void A_declarative_Kong_schema_converts_to_what_the_bundled_one_says_in_Kongs_JSON(string plugin)
    {
        var converted = LuaSchemaConverter.Convert(KongLua(plugin));

        Assert.Equal(plugin, converted.Name);
        var bundled = PluginSchemas.Find(plugin)!;
        Assert.Equal(KongSchemaJson.Plugin(bundled).ToJsonString(), KongSchemaJson.Plugin(converted).ToJsonString());
    }

    [Theory]
    [InlineData("key-auth", """{"config":{}}""")]
    [InlineData("basic-auth", """{"config":{"realm":"inside"}}""")]
    [InlineData("acl", """{"config":{"allow":["admins"]}}""")]
    [InlineData("correlation-id", """{"config":{"generator":"tracker"}}""")]
    [InlineData("hmac-auth", """{"config":{"algorithms":["hmac-sha256"],"clock_skew":10}}""")]
    [InlineData("ip-restriction", """{"config":{"deny":["10.0.0.0/8"]},"protocols":["tcp"]}""")]
    [InlineData("bot-detection", """{"config":{"allow":["^curl/"]}}""")]
    [InlineData("jwt", """{"config":{"maximum_expiration":60,"claims_to_verify":["exp","nbf"]}}""")]
    public void Valid_configs_get_the_same_defaults_as_from_the_bundled_schema(string plugin, string body)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        json["name"] = plugin;
        var fromUpload = EntityAssert.Valid(PluginsWith(LuaSchemaConverter.Convert(KongLua(plugin))), json.ToJsonString());
        var fromBundled = EntityAssert.Valid(Plugins.Schema, json.ToJsonString());

        Assert.Equal(fromBundled["config"]!.ToJsonString(), fromUpload["config"]!.ToJsonString());
        Assert.Equal(fromBundled["protocols"]!.ToJsonString(), fromUpload["protocols"]!.ToJsonString());
    }

    [Theory]
    [InlineData("key-auth", """{"config":{"key_names":["bad header"]}}""")]
    [InlineData("key-auth", """{"config":{},"consumer":{"id":"8d3b4a3e-1b7c-4b8e-9a3e-2b1c4d5e6f70"}}""")]
    [InlineData("acl", """{"config":{"allow":["a"],"deny":["b"]}}""")]
    [InlineData("acl", """{"config":{}}""")]
    [InlineData("correlation-id", """{"config":{"generator":"random"}}""")]
    [InlineData("hmac-auth", """{"config":{"algorithms":["md5"],"clock_skew":0}}""")]
    [InlineData("ip-restriction", """{"config":{"allow":["300.1.1.1"]}}""")]
    [InlineData("ip-restriction", """{"config":{"status":"x"}}""")]
    [InlineData("bot-detection", """{"config":{"deny":["(unclosed"]}}""")]
    [InlineData("basic-auth", """{"config":{"hide_credentials":"yes"},"protocols":["tcp"]}""")]
    [InlineData("jwt", """{"config":{"maximum_expiration":60,"claims_to_verify":["nbf"]}}""")]
    public void Invalid_configs_get_the_same_errors_as_from_the_bundled_schema(string plugin, string body)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        json["name"] = plugin;
        var fromUpload = EntityAssert.Invalid(PluginsWith(LuaSchemaConverter.Convert(KongLua(plugin))), json.ToJsonString());
        var fromBundled = EntityAssert.Invalid(Plugins.Schema, json.ToJsonString());

        Assert.Equal(Describe(fromBundled), Describe(fromUpload));
    }

    private static string Describe(IReadOnlyList<FieldError> errors) =>
        string.Join("; ", errors.Select(e => $"{e.Path ?? "@entity"}: {e.Message}").Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("cors", 2, "require \"kong.db.schema\" is not supported: only \"kong.db.schema.typedefs\" may be required")]
    [InlineData("request-termination", 4, "function definitions are not supported")]
    public void Kong_schemas_with_code_are_refused_at_the_line_of_the_code(string plugin, int line, string reason)
    {
        var refused = Assert.Throws<LuaSchemaException>(() => LuaSchemaConverter.Convert(KongLua(plugin)));
        Assert.Equal((line, reason), (refused.Line, refused.Reason));
    }

    private const string Everything = """
        local typedefs = require "kong.db.schema.typedefs"

        return {
          name = "everything",
          fields = {
            { consumer = typedefs.no_consumer },
            { route = typedefs.no_route },
            { protocols = typedefs.protocols_http },
            { config = {
                type = "record",
                fields = {
                  { mode = { type = "string", default = "a", one_of = { "a", "b" } } },
                  { code = { type = "integer", between = { 100, 599 }, default = 200, required = true } },
                  { ratio = { type = "number", gt = 0 } },
                  { label = { type = "string", len_min = 2, len_max = 5, match = "^%l+$" } },
                  { empty_ok = { type = "string", len_min = 0 } },
                  { flag = { type = "boolean", default = false } },
                  { tags = { type = "set", elements = { type = "string" }, default = {} } },
                  { headers = { type = "map", keys = typedefs.header_name, values = { type = "string" } } },
                  { upstream = typedefs.url { required = false } },
                  { port = typedefs.port { default = 8080 } },
                  { nested = { type = "record", required = false, fields = {
                      { host = typedefs.host },
                      { weight = { type = "integer", one_of = { 1, 2, 3 } } },
                    },
                    entity_checks = { { mutually_required = { "host", "weight" } } },
                  } },
                },
              },
            },
          },
          entity_checks = {
            { only_one_of = { "config.ratio", "config.label" } },
            { conditional = { if_field = "config.mode", if_match = { eq = "b" }, then_field = "config.flag", then_match = { eq = true } } },
            { conditional = { if_field = "config.code", if_match = { eq = 204 }, then_field = "config.empty_ok", then_match = { required = true } } },
          },
        }
        """;

    [Fact]
    public void Every_supported_attribute_and_check_is_enforced()
    {
        var schema = PluginsWith(LuaSchemaConverter.Convert(Everything));

        var minimal = EntityAssert.Valid(schema, """{"name":"everything","config":{"ratio":1}}""");
        Assert.Equal("""{"mode":"a","code":200,"ratio":1,"label":null,"empty_ok":null,"flag":false,"tags":[],"headers":null,"upstream":null,"port":8080,"nested":null}""",
            minimal["config"]!.ToJsonString());
        EntityAssert.Valid(schema, """{"name":"everything","config":{"label":"abc","empty_ok":"","nested":{"host":"example.com","weight":2},"headers":{"X-A":"1"}}}""");

        void Refused(string config, string? path, string message) =>
            EntityAssert.HasError(EntityAssert.Invalid(schema, $$"""{"name":"everything","config":{{config}}}"""), path, message);
        Refused("""{"ratio":1,"mode":"c"}""", "config.mode", "expected one of: a, b");
        Refused("""{"ratio":1,"code":600}""", "config.code", "value should be between 100 and 599");
        Refused("""{"ratio":0}""", "config.ratio", "value must be greater than 0");
        Refused("""{"label":"a"}""", "config.label", "length must be at least 2");
        Refused("""{"label":"abcdef"}""", "config.label", "length must be at most 5");
        Refused("""{"label":"AB"}""", "config.label", "invalid value: AB");
        Refused("""{"ratio":1,"nested":{"host":"example.com"}}""", "config.nested", "all or none of these fields must be set: 'host', 'weight'");
        Refused("""{"ratio":1,"nested":{"host":"example.com","weight":4}}""", "config.nested.weight", "expected one of: 1, 2, 3");
        Refused("""{"ratio":1,"headers":{"bad key":"x"}}""", "config.headers", "bad header name 'bad key', allowed characters are A-Z, a-z, 0-9, '_', and '-'");
        Refused("""{"ratio":1,"upstream":"nohost"}""", "config.upstream", "missing host in url");
        Refused("""{"ratio":1,"label":"ab"}""", null, "exactly one of these fields must be non-empty: 'config.ratio', 'config.label'");
        Refused("""{"ratio":1,"mode":"b"}""", null, "failed conditional validation given value of field 'config.mode'");
        Refused("""{"ratio":1,"code":204}""", "config.empty_ok", "required field missing");
        EntityAssert.HasError(EntityAssert.Invalid(schema, """{"name":"everything","config":{"ratio":1},"route":{"id":"8d3b4a3e-1b7c-4b8e-9a3e-2b1c4d5e6f70"}}"""),
            "route", "value must be null");
        EntityAssert.HasError(EntityAssert.Invalid(schema, """{"name":"everything","config":{"ratio":1},"protocols":["tcp"]}"""),
            "protocols[0]", "expected one of: grpc, grpcs, http, https");
    }

    [Theory]
    [InlineData("return 1", 1, "the schema must return a table")]
    [InlineData("return { fields = {} }", 1, "the schema must have a string 'name'")]
    [InlineData("return { name = \"Bad Name\", fields = {} }", 1, "invalid plugin name 'Bad Name': expected lower-case letters, digits, '-' and '_'")]
    [InlineData("return { name = \"p\", fields = {} }", 1, "the schema must have a 'config' record in its fields")]
    [InlineData("return { name = \"p\", priority = 10, fields = {} }", 1, "the schema's key 'priority' is not supported (name, fields and entity_checks are)")]
    [InlineData("return { name = \"p\", fields = {\n { other = { type = \"string\" } } } }", 2, "the plugin field 'other' is not supported: a plugin schema has consumer, route, service, protocols and config")]
    [InlineData("return { name = \"p\", fields = {\n { config = { type = \"string\" } } } }", 2, "config must be a record")]
    [InlineData("return { name = \"p\", fields = { { config = { type = \"record\", fields = {\n { a = { type = \"blob\" } } } } } } }", 2, "unknown field type 'blob'")]
    [InlineData("return { name = \"p\", fields = { { config = { type = \"record\", fields = {\n { a = { type = \"array\" } } } } } } }", 2, "config.a: a array field needs 'elements'")]
    [InlineData("return { name = \"p\", fields = { { config = { type = \"record\", fields = {\n { a = { type = \"string\", unheard = 1 } } } } } } }", 2, "config.a: the attribute 'unheard' is not supported")]
    [InlineData("local typedefs = require \"kong.db.schema.typedefs\"\nreturn { name = \"p\", fields = { { config = { type = \"record\", fields = {\n { a = typedefs.pem } } } } } }", 3, "typedefs.pem is not supported here (supported: header_name, host, host_with_optional_port, hosts, http_method, ip_or_cidr, lua_code, name, no_consumer, no_route, no_service, path, port, protocol, protocols, protocols_http, queue, redis_host, sni, tags, timeout, ttl, url, uuid, wildcard_host)")]
    [InlineData("return { name = \"p\", fields = { { config = { type = \"record\", fields = {\n { a = { type = \"string\", match = \"%b()\" } } } } } } }", 2, "match: the pattern item '%b' is not supported")]
    [InlineData("return { name = \"p\", fields = { { config = { type = \"record\", fields = {} } } },\n entity_checks = { { at_least_one_of = { \"config.nope\" } } } }", 2, "entity_checks.at_least_one_of: no field 'config.nope' in the schema")]
    [InlineData("return { name = \"p\", fields = { { config = { type = \"record\", fields = { { a = { type = \"string\" } } } } } },\n entity_checks = { { conditional = { if_field = \"config.a\", if_match = { len_min = 1 }, then_field = \"config.a\", then_match = { required = true } } } } }", 2, "entity_checks.conditional: if_match supports eq, one_of, not_one_of and gt")]
    [InlineData("return { name = \"p\", fields = { { config = { type = \"record\", fields = {} } } },\n entity_checks = { { custom_entity_check = { field_sources = {} } } } }", 2, "custom_entity_check needs code, which custom schemas cannot hold")]
    [InlineData("local typedefs = require \"kong.db.schema.typedefs\"\nreturn { name = \"p\", fields = {\n { consumer = typedefs.no_route }, { config = { type = \"record\", fields = {} } } } }", 3, "the plugin field 'consumer' may only be typedefs.no_consumer")]
    public void Schemas_outside_the_engine_are_refused_naming_the_line(string lua, int line, string reason)
    {
        var refused = Assert.Throws<LuaSchemaException>(() => LuaSchemaConverter.Convert(lua));
        Assert.Equal((line, reason), (refused.Line, refused.Reason));
    }

    [Fact]
    public void The_Konnect_spec_example_converts() =>
        Assert.Equal("myplugin", LuaSchemaConverter.Convert("""return { name = "myplugin", fields = { { config = { type = "record", fields = { } } } } }""").Name);
}
