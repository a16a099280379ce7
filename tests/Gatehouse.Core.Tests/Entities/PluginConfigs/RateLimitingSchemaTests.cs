using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities.PluginConfigs;

/// <summary>rate-limiting against kong/plugins/rate-limiting/schema.lua (3.9.3); cases after spec/03-plugins/23-rate-limiting/01-schema_spec.lua.</summary>
public sealed class RateLimitingSchemaTests
{
    private const string Defaults = """
        {"second":null,"minute":5,"hour":null,"day":null,"month":null,"year":null,"limit_by":"consumer","header_name":null,"path":null,"policy":"local","fault_tolerant":true,"redis":{"host":null,"port":6379,"timeout":2000,"username":null,"password":null,"database":0,"ssl":false,"ssl_verify":false,"server_name":null},"hide_client_headers":false,"error_code":429,"error_message":"API rate limit exceeded","sync_rate":-1}
        """;

    [Fact]
    public void A_minimal_config_gets_Kongs_defaults_and_http_protocols()
    {
        var plugin = Valid(Plugins.Schema, """{"name":"rate-limiting","config":{"minute":5}}""");
        Assert.Equal(Defaults, plugin["config"]!.ToJsonString());
        Assert.Equal("""["grpc","grpcs","http","https"]""", plugin["protocols"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"second":10}""")]
    [InlineData("""{"second":10,"minute":20,"hour":30,"day":40,"month":50,"year":60}""")]
    [InlineData("""{"second":10,"limit_by":"header","header_name":"X-App-Version"}""")]
    [InlineData("""{"second":10,"limit_by":"path","path":"/request"}""")]
    [InlineData("""{"second":10,"policy":"redis","redis":{"host":"redis.test","port":6379,"database":0,"username":"test","password":"testXXX","ssl":true,"ssl_verify":false,"timeout":1100,"server_name":"redis.test"}}""")]
    [InlineData("""{"second":10,"policy":"redis","redis":{"host":"redis.test"},"sync_rate":0.5}""")]
    [InlineData("""{"second":10,"redis":{"password":"{vault://env/redis-password}"}}""")]
    [InlineData("""{"second":10,"redis":{"password":""}}""")]
    public void Valid_configs_are_accepted(string config) => Valid(Plugins.Schema, $$"""{"name":"rate-limiting","config":{{config}}}""");

    [Theory]
    [InlineData("""{"minute":"abc"}""", "config.minute", "expected a number")]
    [InlineData("""{"minute":0}""", "config.minute", "value must be greater than 0")]
    [InlineData("""{"minute":5,"limit_by":"cookie"}""", "config.limit_by", "expected one of: consumer, credential, ip, service, header, path")]
    [InlineData("""{"minute":5,"policy":"cluster"}""", "config.policy", "expected one of: local, redis")]
    [InlineData("""{"minute":5,"policy":""}""", "config.policy", "expected one of: local, redis")]
    [InlineData("""{"minute":5,"error_code":0}""", "config.error_code", "value must be greater than 0")]
    [InlineData("""{"minute":5,"fault_tolerant":null}""", "config.fault_tolerant", "required field missing")]
    [InlineData("""{"minute":5,"sync_rate":null}""", "config.sync_rate", "required field missing")]
    [InlineData("""{"minute":5,"header_name":"bad header"}""", "config.header_name", "bad header name 'bad header', allowed characters are A-Z, a-z, 0-9, '_', and '-'")]
    [InlineData("""{"minute":5,"path":"nope"}""", "config.path", "should start with: /")]
    [InlineData("""{"minute":5,"redis":{"port":70000}}""", "config.redis.port", "value should be between 0 and 65535")]
    [InlineData("""{"minute":5,"redis":{"host":"redis.test:6379"}}""", "config.redis.host", "must not have a port")]
    [InlineData("""{"minute":5,"redis":{"server_name":"10.0.0.1"}}""", "config.redis.server_name", "must not be an IP")]
    [InlineData("""{"minute":5,"redis":{"timeout":-1}}""", "config.redis.timeout", "value should be between 0 and 2147483646")]
    [InlineData("""{"minute":5,"redis":{"nope":1}}""", "config.redis.nope", "unknown field")]
    [InlineData("""{"minute":5,"nope":1}""", "config.nope", "unknown field")]
    [InlineData("""{"second":20,"hour":10}""", "config", "The limit for hour(10.0) cannot be lower than the limit for second(20.0)")]
    [InlineData("""{"second":10,"minute":20,"hour":30,"day":40,"month":60,"year":50}""", "config", "The limit for year(50.0) cannot be lower than the limit for month(60.0)")]
    [InlineData("""{"minute":5,"sync_rate":1}""", "config", "sync_rate can only be used with the redis policy")]
    [InlineData("""{"minute":5,"policy":"redis","redis":{"host":"redis.test"},"sync_rate":0.01}""", "config", "sync_rate must be greater than 0.02, or -1 to disable")]
    [InlineData("""{"second":10,"limit_by":"header"}""", "config.header_name", "required field missing")]
    [InlineData("""{"second":10,"limit_by":"path"}""", "config.path", "required field missing")]
    [InlineData("""{"second":10,"policy":"redis"}""", "config.redis.host", "required field missing")]
    [InlineData("""{"second":10,"policy":"redis","redis":{"host":"redis.test","port":null}}""", "config.redis.port", "required field missing")]
    [InlineData("""{"second":10,"policy":"redis","redis":{"host":"redis.test","timeout":null}}""", "config.redis.timeout", "required field missing")]
    [InlineData("""{"minute":5,"redis_port":"x"}""", "config.redis_port", "expected an integer")]
    [InlineData("""{"minute":5,"redis_host":"a.test","redis":{"host":"b.test"}}""", "config.redis_host", "both deprecated and new field are used but their values mismatch: redis_host = a.test vs redis.host = b.test")]
    public void Invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, $$"""{"name":"rate-limiting","config":{{config}}}"""), path, message);

    [Fact]
    public void Conditional_failures_also_name_the_field_they_depend_on()
    {
        var errors = Invalid(Plugins.Schema, """{"name":"rate-limiting","config":{"second":10,"policy":"redis"}}""");
        HasError(errors, null, "failed conditional validation given value of field 'config.policy'");
    }

    [Fact]
    public void A_config_without_any_limit_is_refused_as_a_whole()
    {
        HasError(Invalid(Plugins.Schema, """{"name":"rate-limiting","config":{}}"""), null,
            "at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'");
        HasError(Invalid(Plugins.Schema, """{"name":"rate-limiting"}"""), null,
            "at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'");
    }

    [Fact]
    public void Deprecated_redis_shorthands_fill_the_redis_record()
    {
        var plugin = Valid(Plugins.Schema, """
            {"name":"rate-limiting","config":{"second":10,"policy":"redis","redis_host":"redis.test","redis_port":6380,"redis_database":2,
             "redis_username":"u","redis_password":"p","redis_ssl":true,"redis_ssl_verify":true,"redis_timeout":1100,"redis_server_name":"redis.test"}}
            """);
        Assert.Equal("""{"host":"redis.test","port":6380,"timeout":1100,"username":"u","password":"p","database":2,"ssl":true,"ssl_verify":true,"server_name":"redis.test"}""",
            plugin["config"]!["redis"]!.ToJsonString());
        Assert.False(plugin["config"]!.AsObject().ContainsKey("redis_host"));

        // The deprecated and the new form may both be given when they agree.
        Valid(Plugins.Schema, """{"name":"rate-limiting","config":{"second":10,"redis_host":"a.test","redis":{"host":"a.test"}}}""");
    }

    [Fact]
    public void Patch_merges_into_the_stored_config_and_validates_the_result()
    {
        var stored = Valid(Plugins.Schema, """{"name":"rate-limiting","config":{"minute":5}}""");
        var patched = Valid(Plugins.Schema, """{"config":{"hour":100,"redis":{"port":6380}}}""", WriteMode.Update, stored);
        Assert.Equal(5, patched["config"]!["minute"]!.GetValue<double>());
        Assert.Equal(100, patched["config"]!["hour"]!.GetValue<double>());
        Assert.Equal(6380, patched["config"]!["redis"]!["port"]!.GetValue<long>());
        Assert.Equal(2000, patched["config"]!["redis"]!["timeout"]!.GetValue<long>());

        HasError(Invalid(Plugins.Schema, """{"config":{"hour":1}}""", WriteMode.Update, stored), "config",
            "The limit for hour(1.0) cannot be lower than the limit for minute(5.0)");
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ws")]
    public void Runs_on_http_protocols_only(string protocol) =>
        HasError(Invalid(Plugins.Schema, $$"""{"name":"rate-limiting","config":{"minute":5},"protocols":["{{protocol}}"]}"""), "protocols[0]",
            "expected one of: grpc, grpcs, http, https");
}
