using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities.PluginConfigs;

/// <summary>
/// Every plugin schema written so far, against its kong/plugins/&lt;name&gt;/schema.lua (3.9.3):
/// the defaults a minimal config gets, and refusals on the field's path with Kong's message.
/// Cases after spec/03-plugins/*/ where Kong has schema specs.
/// </summary>
public sealed class PluginConfigSchemaTests
{
    private const string ConsumerId = "6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f";

    private static string Plugin(string name, string config) => $$"""{"name":"{{name}}","config":{{config}}}""";

    [Theory]
    [InlineData("key-auth", "{}", """{"key_names":["apikey"],"hide_credentials":false,"anonymous":null,"key_in_header":true,"key_in_query":true,"key_in_body":false,"run_on_preflight":true,"realm":null}""")]
    [InlineData("basic-auth", "{}", """{"anonymous":null,"hide_credentials":false,"realm":"service"}""")]
    [InlineData("acl", """{"allow":["admins"]}""", """{"allow":["admins"],"deny":null,"hide_groups_header":false,"always_use_authenticated_groups":false}""")]
    [InlineData("cors", "{}", """{"origins":null,"headers":null,"exposed_headers":null,"methods":["GET","HEAD","PUT","PATCH","POST","DELETE","OPTIONS","TRACE","CONNECT"],"max_age":null,"credentials":false,"private_network":false,"preflight_continue":false}""")]
    [InlineData("jwt", "{}", """{"uri_param_names":["jwt"],"cookie_names":[],"key_claim_name":"iss","secret_is_base64":false,"claims_to_verify":null,"anonymous":null,"run_on_preflight":true,"maximum_expiration":0,"header_names":["authorization"],"realm":null}""")]
    [InlineData("hmac-auth", "{}", """{"hide_credentials":false,"clock_skew":300,"anonymous":null,"validate_request_body":false,"enforce_headers":[],"algorithms":["hmac-sha1","hmac-sha256","hmac-sha384","hmac-sha512"],"realm":null}""")]
    [InlineData("request-transformer", "{}", """{"http_method":null,"remove":{"body":[],"headers":[],"querystring":[]},"rename":{"body":[],"headers":[],"querystring":[]},"replace":{"body":[],"headers":[],"querystring":[],"uri":null},"add":{"body":[],"headers":[],"querystring":[]},"append":{"body":[],"headers":[],"querystring":[]}}""")]
    [InlineData("response-transformer", "{}", """{"remove":{"json":[],"headers":[]},"rename":{"json":[],"headers":[]},"replace":{"json":[],"json_types":[],"headers":[]},"add":{"json":[],"json_types":[],"headers":[]},"append":{"json":[],"json_types":[],"headers":[]}}""")]
    [InlineData("ip-restriction", """{"allow":["10.0.0.0/8"]}""", """{"allow":["10.0.0.0/8"],"deny":null,"status":null,"message":null}""")]
    [InlineData("request-size-limiting", "{}", """{"allowed_payload_size":128,"size_unit":"megabytes","require_content_length":false}""")]
    [InlineData("correlation-id", "{}", """{"header_name":"Kong-Request-ID","generator":"uuid#counter","echo_downstream":false}""")]
    [InlineData("bot-detection", "{}", """{"allow":[],"deny":[]}""")]
    [InlineData("file-log", """{"path":"/tmp/kong.log"}""", """{"path":"/tmp/kong.log","reopen":false,"custom_fields_by_lua":null}""")]
    [InlineData("prometheus", "{}", """{"per_consumer":false,"status_code_metrics":false,"ai_metrics":false,"latency_metrics":false,"bandwidth_metrics":false,"upstream_health_metrics":false}""")]
    public void A_minimal_config_gets_Kongs_defaults(string name, string config, string expected)
    {
        Assert.Equal(expected, Valid(Plugins.Schema, Plugin(name, config))["config"]!.ToJsonString());
        // Leaving config out is the same as giving {} (Kong expands a missing record).
        if (config == "{}")
        {
            Assert.Equal(expected, Valid(Plugins.Schema, $$"""{"name":"{{name}}"}""")["config"]!.ToJsonString());
        }
    }

    [Theory]
    [InlineData("ip-restriction", """["http","https","tcp","tls","grpc","grpcs"]""")]
    [InlineData("request-transformer", """["grpc","grpcs","http","https"]""")]
    [InlineData("key-auth", """["grpc","grpcs","http","https"]""")]
    public void Protocols_default_as_each_plugin_says(string name, string expected)
    {
        var config = name == "ip-restriction" ? """{"deny":["10.0.0.1"]}""" : "{}";
        Assert.Equal(expected, Valid(Plugins.Schema, Plugin(name, config))["protocols"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"name":"ip-restriction","config":{"deny":["10.0.0.1"]},"protocols":["tcp","tls"]}""")]
    [InlineData("""{"name":"request-transformer","protocols":["tcp"]}""")]
    [InlineData("""{"name":"cors","config":{"origins":["*","https://(.*)\\.example\\.com"],"methods":["GET"],"max_age":3600}}""")]
    [InlineData("""{"name":"jwt","config":{"maximum_expiration":60,"claims_to_verify":["exp","nbf"]}}""")]
    [InlineData("""{"name":"jwt","config":{"maximum_expiration":60}}""")]
    [InlineData("""{"name":"acl","config":{"deny":["blocked"]}}""")]
    [InlineData("""{"name":"rate-limiting","config":{"minute":5},"consumer":{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f"}}""")]
    [InlineData("""{"name":"request-transformer","config":{"http_method":"POST","remove":{"headers":["X-Foo"]},"rename":{"headers":["X-Old:X-New"],"body":["a:b"]},"replace":{"uri":"/new","headers":["X-A:1"]},"add":{"headers":["X-B:two:parts"],"querystring":["q:v"]}}}""")]
    [InlineData("""{"name":"response-transformer","config":{"add":{"json":["a:1"],"json_types":["number"],"headers":["X-A:1"]},"rename":{"headers":["X-Old:X-New"]}}}""")]
    [InlineData("""{"name":"bot-detection","config":{"allow":["^curl/.*$"],"deny":["(?i)bot"]}}""")]
    [InlineData("""{"name":"hmac-auth","config":{"algorithms":["hmac-sha256"],"enforce_headers":["date"]}}""")]
    [InlineData("""{"name":"file-log","config":{"path":"/tmp/k.log","reopen":true,"custom_fields_by_lua":{"route":"return nil"}},"protocols":["tcp"]}""")]
    [InlineData("""{"name":"prometheus","config":{"per_consumer":null},"consumer":{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f"}}""")]
    public void Valid_plugins_are_accepted(string json) => Valid(Plugins.Schema, json);

    [Theory]
    [InlineData("key-auth", """{"key_names":["bad name"]}""", "config.key_names[0]", "bad header name 'bad name', allowed characters are A-Z, a-z, 0-9, '_', and '-'")]
    [InlineData("key-auth", """{"key_names":null}""", "config.key_names", "required field missing")]
    [InlineData("key-auth", """{"hide_credentials":"yes"}""", "config.hide_credentials", "expected a boolean")]
    [InlineData("key-auth", """{"anonymous":""}""", "config.anonymous", "length must be at least 1")]
    [InlineData("key-auth", """{"unknown":1}""", "config.unknown", "unknown field")]
    [InlineData("basic-auth", """{"realm":null}""", "config.realm", "required field missing")]
    [InlineData("acl", """{"allow":"admins"}""", "config.allow", "expected an array")]
    [InlineData("acl", """{"allow":[1]}""", "config.allow[0]", "expected a string")]
    [InlineData("cors", """{"methods":["GET","FETCH"]}""", "config.methods[1]", "expected one of: GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS, TRACE, CONNECT")]
    [InlineData("cors", """{"origins":["(unclosed"]}""", "config.origins[0]", "'(unclosed' is not a valid regex")]
    [InlineData("cors", """{"max_age":"1h"}""", "config.max_age", "expected a number")]
    [InlineData("jwt", """{"claims_to_verify":["iat"]}""", "config.claims_to_verify[0]", "expected one of: exp, nbf")]
    [InlineData("jwt", """{"maximum_expiration":-1}""", "config.maximum_expiration", "value should be between 0 and 31536000")]
    [InlineData("jwt", """{"maximum_expiration":60,"claims_to_verify":["nbf"]}""", "config.claims_to_verify", "expected to contain: exp")]
    [InlineData("jwt", """{"uri_param_names":"jwt"}""", "config.uri_param_names", "expected a set")]
    [InlineData("hmac-auth", """{"clock_skew":0}""", "config.clock_skew", "value must be greater than 0")]
    [InlineData("hmac-auth", """{"algorithms":["hmac-md5"]}""", "config.algorithms[0]", "expected one of: hmac-sha1, hmac-sha256, hmac-sha384, hmac-sha512")]
    [InlineData("request-transformer", """{"http_method":"post"}""", "config.http_method", "invalid value: post")]
    [InlineData("request-transformer", """{"add":{"headers":["no-colon"]}}""", "config.add.headers[0]", "invalid value: no-colon")]
    [InlineData("request-transformer", """{"add":{"headers":["bad name:1"]}}""", "config.add.headers[0]", "'bad name' is not a valid header")]
    [InlineData("request-transformer", """{"add":{"body":["key"]}}""", "config.add.body[0]", "key 'key' has no value")]
    [InlineData("request-transformer", """{"rename":{"headers":["X-Old:bad new"]}}""", "config.rename.headers[0]", "'bad new' is not a valid header")]
    [InlineData("request-transformer", """{"remove":{"headers":null}}""", "config.remove.headers", "required field missing")]
    [InlineData("request-transformer", """{"replace":{"uri":5}}""", "config.replace.uri", "expected a string")]
    [InlineData("response-transformer", """{"add":{"json_types":["object"]}}""", "config.add.json_types[0]", "expected one of: boolean, number, string")]
    [InlineData("response-transformer", """{"append":{"json":["nocolon"]}}""", "config.append.json[0]", "invalid value: nocolon")]
    [InlineData("response-transformer", """{"rename":{"headers":["X-A:b c"]}}""", "config.rename.headers[0]", "'b c' is not a valid header")]
    [InlineData("ip-restriction", """{"allow":["10.0.0.0/33"]}""", "config.allow[0]", "invalid ip or cidr range: '10.0.0.0/33'")]
    [InlineData("ip-restriction", """{"deny":["not-an-ip"]}""", "config.deny[0]", "invalid ip or cidr range: 'not-an-ip'")]
    [InlineData("ip-restriction", """{"allow":["10.0.0.1"],"status":"403"}""", "config.status", "expected a number")]
    [InlineData("request-size-limiting", """{"size_unit":"gigabytes"}""", "config.size_unit", "expected one of: megabytes, kilobytes, bytes")]
    [InlineData("request-size-limiting", """{"allowed_payload_size":1.5}""", "config.allowed_payload_size", "expected an integer")]
    [InlineData("correlation-id", """{"generator":"random"}""", "config.generator", "expected one of: uuid, uuid#counter, tracker")]
    [InlineData("correlation-id", """{"generator":null}""", "config.generator", "required field missing")]
    [InlineData("bot-detection", """{"deny":["[a-"]}""", "config.deny[0]", "not a valid regex: [a-")]
    [InlineData("file-log", """{}""", "config.path", "required field missing")]
    [InlineData("file-log", """{"path":"/tmp/*.log"}""", "config.path", "not a valid filename")]
    [InlineData("file-log", """{"path":"/tmp/50%.log"}""", "config.path", "not a valid filename")]
    [InlineData("file-log", """{"path":"/tmp/k.log","custom_fields_by_lua":{"route":""}}""", "config.custom_fields_by_lua", "length must be at least 1")]
    [InlineData("file-log", """{"path":"/tmp/k.log","custom_fields_by_lua":[]}""", "config.custom_fields_by_lua", "expected a map")]
    [InlineData("prometheus", """{"per_consumer":"yes"}""", "config.per_consumer", "expected a boolean")]
    public void Invalid_configs_are_refused_on_their_path(string name, string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin(name, config)), path, message);

    [Theory]
    [InlineData("acl", """{}""", "at least one of these fields must be non-empty: 'config.allow', 'config.deny'")]
    [InlineData("acl", """{"allow":["a"],"deny":["b"]}""", "exactly one of these fields must be non-empty: 'config.allow', 'config.deny'")]
    [InlineData("ip-restriction", """{}""", "at least one of these fields must be non-empty: 'config.allow', 'config.deny'")]
    [InlineData("ip-restriction", """{"allow":[],"deny":[]}""", "at least one of these fields must be non-empty: 'config.allow', 'config.deny'")]
    [InlineData("jwt", """{"maximum_expiration":60,"claims_to_verify":["nbf"]}""", "failed conditional validation given value of field 'config.maximum_expiration'")]
    public void Entity_checks_refuse_the_plugin_as_a_whole(string name, string config, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin(name, config)), null, message);

    [Theory]
    [InlineData("key-auth")]
    [InlineData("basic-auth")]
    [InlineData("acl")]
    [InlineData("cors")]
    [InlineData("jwt")]
    [InlineData("hmac-auth")]
    [InlineData("bot-detection")]
    public void Authentication_and_consumer_agnostic_plugins_refuse_a_consumer(string name)
    {
        var config = name == "acl" ? """{"allow":["a"]}""" : "{}";
        HasError(Invalid(Plugins.Schema, $$$"""{"name":"{{{name}}}","config":{{{config}}},"consumer":{"id":"{{{ConsumerId}}}"}}"""), "consumer", "value must be null");
    }

    [Theory]
    [InlineData("key-auth")]
    [InlineData("cors")]
    [InlineData("correlation-id")]
    [InlineData("response-transformer")]
    [InlineData("request-size-limiting")]
    public void Http_only_plugins_refuse_stream_protocols(string name) =>
        HasError(Invalid(Plugins.Schema, $$"""{"name":"{{name}}","protocols":["http","tcp"]}"""), "protocols[1]", "expected one of: grpc, grpcs, http, https");

    [Fact]
    public void A_plugin_patched_without_its_name_is_validated_by_its_stored_name()
    {
        var stored = Valid(Plugins.Schema, Plugin("key-auth", "{}"));
        HasError(Invalid(Plugins.Schema, """{"config":{"key_names":["bad name"]}}""", WriteMode.Update, stored), "config.key_names[0]",
            "bad header name 'bad name', allowed characters are A-Z, a-z, 0-9, '_', and '-'");
        var patched = Valid(Plugins.Schema, """{"config":{"hide_credentials":true}}""", WriteMode.Update, stored);
        Assert.Equal("""["apikey"]""", patched["config"]!["key_names"]!.ToJsonString());
        Assert.True(patched["config"]!["hide_credentials"]!.GetValue<bool>());
    }

    [Fact]
    public void The_schemas_are_exactly_Kongs_45_bundled_plugins()
    {
        Assert.Equal(45, PluginSchemas.Bundled.Count);
        Assert.Equal(45, PluginSchemas.Bundled.Distinct().Count());
        Assert.Equal(PluginSchemas.Bundled.Order(StringComparer.Ordinal), PluginSchemas.All.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_bundled_name_is_taken_and_any_other_is_refused_in_Kongs_words()
    {
        Assert.All(PluginSchemas.Bundled, name => Assert.Null(PluginSchemas.Refusal(name)));
        Assert.Equal("plugin 'my-custom-plugin' not enabled; add it to the 'plugins' configuration property", PluginSchemas.Refusal("my-custom-plugin"));
        // Kong's names are exact: no case folding, no trimming.
        Assert.NotNull(PluginSchemas.Refusal("Key-Auth"));
        Assert.NotNull(PluginSchemas.Refusal("key-auth "));
        HasError(Invalid(Plugins.Schema, Plugin("my-custom-plugin", """{"anything":[1]}""")), "name",
            "plugin 'my-custom-plugin' not enabled; add it to the 'plugins' configuration property");
    }

    [Fact]
    public void A_stored_plugin_whose_name_is_now_unknown_is_refused_on_patch_by_its_stored_name()
    {
        var stored = JsonNode.Parse("""{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f","name":"retired-plugin","config":{"x":1},"protocols":["http"],"enabled":true}""")!.AsObject();
        HasError(Invalid(Plugins.Schema, """{"enabled":false}""", WriteMode.Update, stored), "name",
            "plugin 'retired-plugin' not enabled; add it to the 'plugins' configuration property");
        // A patch that names a known plugin is validated as that plugin; the stored config gets its
        // defaults, and keeps none of the keys that plugin does not know.
        HasError(Invalid(Plugins.Schema, """{"name":"cors","config":{"max_age":"x"}}""", WriteMode.Update, stored), "config.max_age", "expected a number");
        var renamed = Valid(Plugins.Schema, """{"name":"cors","config":{"max_age":5}}""", WriteMode.Update, stored);
        Assert.Equal(5, renamed["config"]!["max_age"]!.GetValue<double>());
        Assert.False(renamed["config"]!.AsObject().ContainsKey("x"));
        Assert.False(renamed["config"]!["credentials"]!.GetValue<bool>());
    }
}
