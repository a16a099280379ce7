using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities.PluginConfigs;

/// <summary>
/// oauth2, response-ratelimiting, ldap-auth, aws-lambda, request-termination, proxy-cache,
/// session, acme, grpc-gateway, grpc-web, pre-function, post-function, azure-functions, redirect
/// and standard-webhooks against their kong/plugins/&lt;name&gt;/schema.lua (3.9.3). Cases after
/// spec/03-plugins/*/…schema_spec.lua where Kong has them.
/// </summary>
public sealed partial class MorePluginSchemaTests
{
    private const string ConsumerId = "6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f";
    private const string RouteId = "7a2e9b8f-4d5c-4b3e-8f9a-1b2c3d4e5f60";
    private const string ServiceId = "8b3fac90-5e6d-4c4f-9a0b-2c3d4e5f6071";

    private static string Plugin(string name, string config) => $$"""{"name":"{{name}}","config":{{config}}}""";

    private static JsonObject ConfigOf(string name, string config) => Valid(Plugins.Schema, Plugin(name, config))["config"]!.AsObject();

    [Theory]
    [InlineData("response-ratelimiting", """{"limits":{"video":{"minute":10}}}""",
        """{"header_name":"x-kong-limit","limit_by":"consumer","policy":"local","fault_tolerant":true,"redis":{"host":null,"port":6379,"timeout":2000,"username":null,"password":null,"database":0,"ssl":false,"ssl_verify":false,"server_name":null},"block_on_first_violation":false,"hide_client_headers":false,"limits":{"video":{"second":null,"minute":10,"hour":null,"day":null,"month":null,"year":null}}}""")]
    [InlineData("ldap-auth", """{"ldap_host":"ldap.test","base_dn":"dc=example,dc=com","attribute":"cn"}""",
        """{"ldap_host":"ldap.test","ldap_port":389,"ldaps":false,"start_tls":false,"verify_ldap_host":false,"base_dn":"dc=example,dc=com","attribute":"cn","cache_ttl":60,"hide_credentials":false,"timeout":10000,"keepalive":60000,"anonymous":null,"header_type":"ldap","realm":null}""")]
    [InlineData("aws-lambda", "{}",
        """{"timeout":60000,"keepalive":60000,"aws_key":null,"aws_secret":null,"aws_assume_role_arn":null,"aws_role_session_name":"kong","aws_sts_endpoint_url":null,"aws_region":null,"function_name":null,"qualifier":null,"invocation_type":"RequestResponse","log_type":"Tail","host":null,"port":443,"disable_https":false,"unhandled_status":null,"forward_request_method":false,"forward_request_uri":false,"forward_request_headers":false,"forward_request_body":false,"is_proxy_integration":false,"awsgateway_compatible":false,"proxy_url":null,"skip_large_bodies":true,"base64_encode_body":true,"aws_imds_protocol_version":"v1","empty_arrays_mode":"legacy"}""")]
    [InlineData("request-termination", "{}", """{"status_code":503,"message":null,"content_type":null,"body":null,"echo":false,"trigger":null}""")]
    public void A_minimal_config_gets_Kongs_defaults(string name, string config, string expected)
    {
        Assert.Equal(expected, ConfigOf(name, config).ToJsonString());
        // Leaving config out is the same as giving {} (Kong expands a missing record).
        if (config == "{}")
        {
            Assert.Equal(expected, Valid(Plugins.Schema, $$"""{"name":"{{name}}"}""")["config"]!.ToJsonString());
        }
    }

    [Theory]
    [InlineData("oauth2", """["grpc","grpcs","http","https"]""")]
    [InlineData("response-ratelimiting", """["grpc","grpcs","http","https"]""")]
    [InlineData("ldap-auth", """["grpc","grpcs","http","https"]""")]
    [InlineData("aws-lambda", """["grpc","grpcs","http","https"]""")]
    [InlineData("request-termination", """["grpc","grpcs","http","https"]""")]
    public void Protocols_default_to_Kongs_http_protocols(string name, string expected)
    {
        var plugin = Valid(Plugins.Schema, Plugin(name, MinimalConfig(name)));
        Assert.Equal(expected, plugin["protocols"]!.ToJsonString());
    }

    [Theory]
    [InlineData("oauth2")]
    [InlineData("response-ratelimiting")]
    [InlineData("ldap-auth")]
    [InlineData("aws-lambda")]
    [InlineData("request-termination")]
    public void Http_only_plugins_refuse_stream_protocols(string name) =>
        HasError(Invalid(Plugins.Schema, $$$"""{"name":"{{{name}}}","config":{{{MinimalConfig(name)}}},"protocols":["http","tcp"]}"""), "protocols[1]",
            "expected one of: grpc, grpcs, http, https");

    [Theory]
    [InlineData("oauth2")]
    [InlineData("ldap-auth")]
    public void Authentication_plugins_refuse_a_consumer(string name) =>
        HasError(Invalid(Plugins.Schema, $$$"""{"name":"{{{name}}}","config":{{{MinimalConfig(name)}}},"consumer":{"id":"{{{ConsumerId}}}"}}"""), "consumer", "value must be null");

    [Theory]
    [InlineData("response-ratelimiting")]
    [InlineData("aws-lambda")]
    [InlineData("request-termination")]
    public void Plugins_without_no_consumer_take_a_consumer_route_and_service(string name) =>
        Valid(Plugins.Schema, $$$"""
            {"name":"{{{name}}}","config":{{{MinimalConfig(name)}}},"consumer":{"id":"{{{ConsumerId}}}"},"route":{"id":"{{{RouteId}}}"},"service":{"id":"{{{ServiceId}}}"}}
            """);

    private static string MinimalConfig(string name) => name switch
    {
        "oauth2" => """{"enable_client_credentials":true}""",
        "response-ratelimiting" => """{"limits":{"video":{"minute":10}}}""",
        "ldap-auth" => """{"ldap_host":"ldap.test","base_dn":"dc=example,dc=com","attribute":"cn"}""",
        _ => "{}",
    };

    // oauth2 (spec/03-plugins/25-oauth2/01-schema_spec.lua)

    [Fact]
    public void Oauth2_fills_Kongs_defaults_and_generates_a_provision_key()
    {
        var config = ConfigOf("oauth2", """{"enable_client_credentials":true}""");
        var key = config["provision_key"]!.GetValue<string>();
        Assert.Matches(ProvisionKey(), key);
        config["provision_key"] = "generated";
        Assert.Equal("""{"scopes":null,"mandatory_scope":false,"provision_key":"generated","token_expiration":7200,"enable_authorization_code":false,"enable_implicit_grant":false,"enable_client_credentials":true,"enable_password_grant":false,"hide_credentials":false,"accept_http_if_already_terminated":false,"anonymous":null,"global_credentials":false,"auth_header_name":"authorization","refresh_token_ttl":1209600,"reuse_refresh_token":false,"pkce":"lax","realm":null}""",
            config.ToJsonString());

        // A fresh key for each plugin; a given key is kept.
        Assert.NotEqual(key, ConfigOf("oauth2", """{"enable_client_credentials":true}""")["provision_key"]!.GetValue<string>());
        Assert.Equal("hello", ConfigOf("oauth2", """{"enable_client_credentials":true,"provision_key":"hello"}""")["provision_key"]!.GetValue<string>());
    }

    [Fact]
    public void Oauth2_keeps_its_provision_key_on_patch_and_refuses_a_null_one()
    {
        var stored = Valid(Plugins.Schema, Plugin("oauth2", """{"enable_client_credentials":true}"""));
        var patched = Valid(Plugins.Schema, """{"config":{"hide_credentials":true}}""", WriteMode.Update, stored);
        Assert.Equal(stored["config"]!["provision_key"]!.GetValue<string>(), patched["config"]!["provision_key"]!.GetValue<string>());
        HasError(Invalid(Plugins.Schema, Plugin("oauth2", """{"enable_client_credentials":true,"provision_key":null}""")), "config.provision_key", "required field missing");
    }

    [GeneratedRegex("^[A-Za-z0-9]{32}$")]
    private static partial Regex ProvisionKey();

    [Theory]
    [InlineData("""{"enable_authorization_code":true,"mandatory_scope":true,"scopes":["email","info"]}""")]
    [InlineData("""{"enable_authorization_code":true,"mandatory_scope":false}""")]
    [InlineData("""{"enable_password_grant":true,"mandatory_scope":true,"scopes":[]}""")]
    [InlineData("""{"enable_implicit_grant":true,"pkce":"strict","refresh_token_ttl":0}""")]
    public void Oauth2_valid_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("oauth2", config));

    [Theory]
    [InlineData("{}", "config", "at least one of these fields must be true: enable_authorization_code, enable_implicit_grant, enable_client_credentials, enable_password_grant")]
    [InlineData("""{"enable_authorization_code":true,"mandatory_scope":true}""", "config.scopes", "required field missing")]
    [InlineData("""{"enable_authorization_code":true,"mandatory_scope":true}""", "config", "failed conditional validation given value of field 'mandatory_scope'")]
    [InlineData("""{"enable_authorization_code":true,"refresh_token_ttl":252979200}""", "config.refresh_token_ttl", "value should be between 0 and 100000000")]
    [InlineData("""{"enable_authorization_code":true,"pkce":"always"}""", "config.pkce", "expected one of: none, lax, strict")]
    [InlineData("""{"enable_authorization_code":true,"token_expiration":null}""", "config.token_expiration", "required field missing")]
    [InlineData("""{"enable_authorization_code":"yes"}""", "config.enable_authorization_code", "expected a boolean")]
    public void Oauth2_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("oauth2", config)), path, message);

    // response-ratelimiting (spec/03-plugins/24-response-rate-limiting/01-schema_spec.lua)

    [Theory]
    [InlineData("""{"limits":{"video":{"second":1}}}""")]
    [InlineData("""{"limits":{"video":{"second":1,"minute":2,"hour":3,"day":4,"month":5,"year":6},"image":{"hour":10}}}""")]
    [InlineData("""{"limits":{"video":{"second":null,"minute":1}}}""")]
    [InlineData("""{"limits":{"video":{"second":10}},"policy":"redis","redis":{"host":"redis.test","port":6379,"database":0,"username":"test","password":"testXXX","ssl":true,"ssl_verify":false,"timeout":1100,"server_name":"redis.test"}}""")]
    public void Response_ratelimiting_valid_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("response-ratelimiting", config));

    [Theory]
    [InlineData("{}", "config.limits", "required field missing")]
    [InlineData("""{"limits":{}}""", "config.limits", "length must be at least 1")]
    [InlineData("""{"limits":{"video":{"seco":1}}}""", "config.limits.video.seco", "unknown field")]
    [InlineData("""{"limits":{"video":{"second":2,"minute":1}}}""", "config.limits.video", "the limit for minute(1.0) cannot be lower than the limit for second(2.0)")]
    [InlineData("""{"limits":{"video":{"second":1,"minute":2,"hour":3,"day":4,"month":6,"year":5}}}""", "config.limits.video", "the limit for year(5.0) cannot be lower than the limit for month(6.0)")]
    [InlineData("""{"limits":{"second":10}}""", "config.limits.second", "expected a record")]
    [InlineData("""{"limits":{"video":{}}}""", "config.limits.video", "at least one of these fields must be non-empty: 'second', 'minute', 'hour', 'day', 'month', 'year'")]
    [InlineData("""{"limits":{"video":{"minute":0}}}""", "config.limits.video.minute", "value must be greater than 0")]
    [InlineData("""{"limits":{"video":{"minute":1}},"limit_by":"path"}""", "config.limit_by", "expected one of: consumer, credential, ip")]
    [InlineData("""{"limits":{"video":{"minute":1}},"policy":"cluster"}""", "config.policy", "expected one of: local, redis")]
    [InlineData("""{"limits":{"video":{"minute":1}},"policy":"redis","redis":{"port":6379}}""", "config.redis.host", "required field missing")]
    [InlineData("""{"limits":{"video":{"minute":1}},"redis_host":"a.test","redis":{"host":"b.test"}}""", "config.redis_host", "both deprecated and new field are used but their values mismatch: redis_host = a.test vs redis.host = b.test")]
    public void Response_ratelimiting_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("response-ratelimiting", config)), path, message);

    [Fact]
    public void Response_ratelimiting_redis_policy_without_a_host_fails_its_conditional()
    {
        var errors = Invalid(Plugins.Schema, Plugin("response-ratelimiting", """{"limits":{"video":{"minute":1}},"policy":"redis"}"""));
        HasError(errors, "config.redis.host", "required field missing");
        HasError(errors, null, "failed conditional validation given value of field 'config.policy'");
    }

    [Fact]
    public void Response_ratelimiting_takes_the_deprecated_redis_shorthands()
    {
        var config = ConfigOf("response-ratelimiting", """
            {"limits":{"video":{"second":10}},"policy":"redis","redis_host":"redis.test","redis_port":6380,"redis_database":1,
             "redis_username":"test","redis_password":"testXXX","redis_ssl":true,"redis_ssl_verify":false,"redis_timeout":1100,"redis_server_name":"redis.test"}
            """);
        Assert.Equal("""{"host":"redis.test","port":6380,"timeout":1100,"username":"test","password":"testXXX","database":1,"ssl":true,"ssl_verify":false,"server_name":"redis.test"}""",
            config["redis"]!.ToJsonString());
        Assert.False(config.ContainsKey("redis_host"));
    }

    // ldap-auth (spec/03-plugins/20-ldap-auth/02-schema_spec.lua)

    [Fact]
    public void Ldap_auth_refuses_ldaps_with_start_tls_in_its_own_words()
    {
        var errors = Invalid(Plugins.Schema, Plugin("ldap-auth", """{"ldap_host":"none","ldap_port":389,"ldaps":true,"start_tls":true,"base_dn":"ou=users","attribute":"cn"}"""));
        HasError(errors, "config", "'ldaps' and 'start_tls' cannot be enabled simultaneously");
        HasError(errors, "config.start_tls", "value must be false");
        Valid(Plugins.Schema, Plugin("ldap-auth", """{"ldap_host":"none","ldaps":true,"base_dn":"ou=users","attribute":"cn"}"""));
        Assert.Equal(12345, ConfigOf("ldap-auth", """{"ldap_host":"example.com","ldap_port":12345,"base_dn":"dc=example.com,dc=com","attribute":"cn"}""")["ldap_port"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{"base_dn":"dc=a","attribute":"cn"}""", "config.ldap_host", "required field missing")]
    [InlineData("""{"ldap_host":"ldap.test:389","base_dn":"dc=a","attribute":"cn"}""", "config.ldap_host", "must not have a port")]
    [InlineData("""{"ldap_host":"ldap.test","ldap_port":70000,"base_dn":"dc=a","attribute":"cn"}""", "config.ldap_port", "value should be between 0 and 65535")]
    [InlineData("""{"ldap_host":"ldap.test","attribute":"cn"}""", "config.base_dn", "required field missing")]
    [InlineData("""{"ldap_host":"ldap.test","base_dn":"dc=a"}""", "config.attribute", "required field missing")]
    [InlineData("""{"ldap_host":"ldap.test","base_dn":"dc=a","attribute":"cn","cache_ttl":"60"}""", "config.cache_ttl", "expected a number")]
    public void Ldap_auth_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("ldap-auth", config)), path, message);

    // aws-lambda (spec/03-plugins/27-aws-lambda/02-schema_spec.lua)

    [Theory]
    [InlineData("""{"aws_region":"us-east-1","function_name":"my-function","unhandled_status":412}""")]
    [InlineData("""{"host":"my.lambda.host","function_name":"my-function"}""")]
    [InlineData("""{"function_name":"my-function"}""")]
    [InlineData("""{"aws_key":"k","aws_secret":"s","proxy_url":"http://squid:3128"}""")]
    [InlineData("""{"aws_key":"{vault://env/aws-key}"}""")]
    [InlineData("""{"aws_sts_endpoint_url":"https://sts.example.test","proxy_url":"http://user:pw@squid:3128/"}""")]
    public void Aws_lambda_valid_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("aws-lambda", config));

    [Theory]
    [InlineData("""{"unhandled_status":99}""", "config.unhandled_status", "value should be between 100 and 999")]
    [InlineData("""{"unhandled_status":1000}""", "config.unhandled_status", "value should be between 100 and 999")]
    [InlineData("""{"invocation_type":"Async"}""", "config.invocation_type", "expected one of: RequestResponse, Event, DryRun")]
    [InlineData("""{"aws_region":"us-east-1:443"}""", "config.aws_region", "must not have a port")]
    [InlineData("""{"proxy_url":"squid"}""", "config.proxy_url", "missing host in url")]
    [InlineData("""{"proxy_url":"squid:3128"}""", "config.proxy_url", "missing host in url")]
    [InlineData("""{"aws_sts_endpoint_url":"//sts.example.test"}""", "config.aws_sts_endpoint_url", "missing scheme in url")]
    [InlineData("""{"timeout":null}""", "config.timeout", "required field missing")]
    public void Aws_lambda_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("aws-lambda", config)), path, message);

    [Theory]
    [InlineData("""{"aws_secret":"xx","aws_region":"us-east-1"}""", "all or none of these fields must be set: 'config.aws_key', 'config.aws_secret'")]
    [InlineData("""{"aws_key":"xx","aws_region":"us-east-1"}""", "all or none of these fields must be set: 'config.aws_key', 'config.aws_secret'")]
    [InlineData("""{"proxy_url":"https://squid:3128"}""", "proxy_url scheme must be http")]
    [InlineData("""{"proxy_url":"ftp://squid:3128"}""", "proxy_url scheme must be http")]
    [InlineData("""{"proxy_url":"wss://squid:3128"}""", "proxy_url scheme must be http")]
    public void Aws_lambda_entity_checks_refuse_the_plugin_as_a_whole(string config, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("aws-lambda", config)), null, message);

    // request-termination (spec/03-plugins/14-request-termination/01-schema_spec.lua)

    [Theory]
    [InlineData("""{"status_code":404}""")]
    [InlineData("""{"message":"Not found"}""")]
    [InlineData("""{"content_type":"text/html","body":"<body><h1>Not found</h1>"}""")]
    [InlineData("""{"body":"<body><h1>Not found</h1>"}""")]
    [InlineData("""{"echo":true,"trigger":"header_name"}""")]
    public void Request_termination_valid_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("request-termination", config));

    [Theory]
    [InlineData("""{"status_code":"abcd"}""", "config.status_code", "expected an integer")]
    [InlineData("""{"status_code":null}""", "config.status_code", "required field missing")]
    [InlineData("""{"status_code":99}""", "config.status_code", "value should be between 100 and 599")]
    [InlineData("""{"status_code":600}""", "config.status_code", "value should be between 100 and 599")]
    [InlineData("""{"message":"error","body":"test"}""", "config", "message cannot be used with content_type or body")]
    [InlineData("""{"message":"error","content_type":"text/html","body":"test"}""", "config", "message cannot be used with content_type or body")]
    [InlineData("""{"message":"error","content_type":"text/html"}""", "config", "message cannot be used with content_type or body")]
    [InlineData("""{"content_type":"text/html"}""", "config", "content_type requires a body")]
    [InlineData("""{"echo":true,"content_type":"text/html","body":"<body><h1>Not found</h1>"}""", "config", "echo cannot be used with content_type and body")]
    [InlineData("""{"trigger":"bad header"}""", "config.trigger", "bad header name 'bad header', allowed characters are A-Z, a-z, 0-9, '_', and '-'")]
    public void Request_termination_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("request-termination", config)), path, message);
}
