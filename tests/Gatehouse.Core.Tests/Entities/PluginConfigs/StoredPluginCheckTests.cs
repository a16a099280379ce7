using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities.PluginConfigs;

/// <summary>
/// The check behind <c>/invalid-plugins</c> (<see cref="InvalidPlugins"/>): a stored plugin is
/// validated again as a PUT of it would be. A plugin Gatehouse wrote itself must pass, or the
/// list would name plugins the user cannot fix; one stored before validation must not.
/// </summary>
public sealed class StoredPluginCheckTests
{
    /// <summary>A small valid config of each bundled plugin; those not named take <c>{}</c>.</summary>
    private static readonly Dictionary<string, string> s_configs = new(StringComparer.Ordinal)
    {
        ["rate-limiting"] = """{"minute":5,"policy":"redis","redis":{"host":"redis.internal"}}""",
        ["response-ratelimiting"] = """{"limits":{"sms":{"minute":10}}}""",
        ["acl"] = """{"allow":["admins"]}""",
        ["ip-restriction"] = """{"deny":["10.0.0.0/8"]}""",
        ["file-log"] = """{"path":"/tmp/kong.log"}""",
        ["tcp-log"] = """{"host":"logs.test","port":9000}""",
        ["udp-log"] = """{"host":"logs.test","port":9000}""",
        ["http-log"] = """{"http_endpoint":"http://logs.test"}""",
        ["loggly"] = """{"key":"token"}""",
        ["opentelemetry"] = """{"traces_endpoint":"http://otel.test:4318/v1/traces"}""",
        ["zipkin"] = """{"http_endpoint":"http://zipkin.test:9411/api/v2/spans"}""",
        ["oauth2"] = """{"enable_client_credentials":true}""",
        ["ldap-auth"] = """{"ldap_host":"ldap.test","base_dn":"dc=example,dc=com","attribute":"cn"}""",
        ["aws-lambda"] = """{"aws_region":"us-east-1","function_name":"f"}""",
        ["azure-functions"] = """{"appname":"app","functionname":"fn"}""",
        ["acme"] = """{"account_email":"ops@example.com","storage":"kong"}""",
        ["pre-function"] = """{"access":["kong.log.info('hi')"]}""",
        ["post-function"] = """{"log":["kong.log.info('bye')"]}""",
        ["redirect"] = """{"location":"https://example.com/"}""",
        ["standard-webhooks"] = """{"secret_v1":"c2VjcmV0"}""",
        ["proxy-cache"] = """{"strategy":"memory"}""",
        ["ai-proxy"] = """{"route_type":"llm/v1/chat","model":{"provider":"openai"}}""",
        ["ai-prompt-decorator"] = """{"prompts":{"prepend":[{"content":"You are a pirate."}]}}""",
        ["ai-prompt-template"] = """{"templates":[{"name":"greet","template":"Say hi to {{name}}"}]}""",
        ["ai-prompt-guard"] = """{"deny_patterns":[".*password.*"]}""",
        ["ai-request-transformer"] = """{"prompt":"p","llm":{"route_type":"llm/v1/chat","model":{"provider":"openai"}}}""",
        ["ai-response-transformer"] = """{"prompt":"p","llm":{"route_type":"llm/v1/chat","model":{"provider":"openai"}}}""",
    };

    private static readonly EntityProcessor s_processor = new(Clock);

    public static TheoryData<string> Bundled => [.. PluginSchemas.Bundled];

    [Theory]
    [MemberData(nameof(Bundled))]
    public void A_plugin_as_Gatehouse_stores_it_passes_the_check(string name)
    {
        var stored = Valid(Plugins.Schema, $$"""{"name":"{{name}}","config":{{s_configs.GetValueOrDefault(name, "{}")}}}""");
        var errors = InvalidPlugins.Errors(s_processor, stored);
        Assert.True(errors.Count == 0, $"{name}: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
    }

    [Fact]
    public void A_plugin_stored_before_validation_fails_the_check_with_its_field_errors()
    {
        var stored = Valid(Plugins.Schema, """{"name":"rate-limiting","config":{"minute":5}}""");
        stored["config"]!["minute"] = "abc";
        stored["config"]!["colour"] = "blue";
        var errors = InvalidPlugins.Errors(s_processor, stored);
        HasError(errors, "config.minute", "expected a number");
        HasError(errors, "config.colour", "unknown field");

        stored["name"] = "retired-plugin";
        var refusal = Assert.Single(InvalidPlugins.Errors(s_processor, stored));
        Assert.Equal(("name", "plugin 'retired-plugin' not enabled; add it to the 'plugins' configuration property"), (refusal.Path, refusal.Message));
    }

    [Fact]
    public void A_patch_of_a_plugin_stored_without_defaults_fills_them_and_is_judged_on_what_it_changes()
    {
        // As rows were stored before validation: config as given, none of its defaults.
        var stored = JsonNode.Parse("""
            {"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f","created_at":1,"updated_at":1,"name":"rate-limiting",
             "config":{"minute":"abc","redis":{"host":"redis.internal"},"error_message":null},"protocols":["http"],"enabled":true}
            """)!.AsObject();
        HasError(Invalid(Plugins.Schema, """{"enabled":false}""", WriteMode.Update, stored), "config.minute", "expected a number");
        Assert.Single(Invalid(Plugins.Schema, """{"enabled":false}""", WriteMode.Update, stored));

        var fixedUp = Valid(Plugins.Schema, """{"config":{"minute":5}}""", WriteMode.Update, stored);
        Assert.Equal(5, fixedUp["config"]!["minute"]!.GetValue<long>());
        Assert.Equal("local", fixedUp["config"]!["policy"]!.GetValue<string>());
        Assert.Equal("redis.internal", fixedUp["config"]!["redis"]!["host"]!.GetValue<string>());
        Assert.Equal(6379, fixedUp["config"]!["redis"]!["port"]!.GetValue<long>());
        // What the row held as null stays null; a field the row lacked gets its default.
        Assert.Null(fixedUp["config"]!["error_message"]);
        Assert.Equal(429, fixedUp["config"]!["error_code"]!.GetValue<double>());
        Assert.Null(fixedUp["ordering"]);
    }

    [Fact]
    public void The_check_reads_the_stored_plugin_and_changes_nothing_in_it()
    {
        var stored = JsonNode.Parse("""{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f","created_at":1,"updated_at":1,"name":"cors","config":{"max_age":"x"}}""")!.AsObject();
        var before = stored.ToJsonString();
        HasError(InvalidPlugins.Errors(s_processor, stored), "config.max_age", "expected a number");
        Assert.Equal(before, stored.ToJsonString());
    }
}
