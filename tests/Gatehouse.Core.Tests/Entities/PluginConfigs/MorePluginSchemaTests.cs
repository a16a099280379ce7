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
    [InlineData("proxy-cache", """{"strategy":"memory"}""",
        """{"response_code":[200,301,404],"request_method":["GET","HEAD"],"content_type":["text/plain","application/json"],"cache_ttl":300,"strategy":"memory","cache_control":false,"ignore_uri_case":false,"storage_ttl":null,"memory":{"dictionary_name":"kong_db_cache"},"vary_query_params":null,"vary_headers":null,"response_headers":{"age":true,"X-Cache-Status":true,"X-Cache-Key":true}}""")]
    [InlineData("acme", """{"account_email":"example@example.com","storage":"kong"}""",
        """{"account_email":"example@example.com","account_key":null,"api_uri":"https://acme-v02.api.letsencrypt.org/directory","tos_accepted":false,"eab_kid":null,"eab_hmac_key":null,"cert_type":"rsa","rsa_key_size":4096,"renew_threshold_days":14,"domains":null,"allow_any_domain":false,"fail_backoff_minutes":5,"storage":"kong","storage_config":{"shm":{"shm_name":"kong"},"kong":{},"redis":{"host":null,"port":6379,"timeout":2000,"username":null,"password":null,"database":0,"ssl":false,"ssl_verify":false,"server_name":null,"extra_options":{"namespace":"","scan_count":10}},"consul":{"https":false,"host":null,"port":null,"kv_path":null,"timeout":null,"token":null},"vault":{"https":false,"host":null,"port":null,"kv_path":null,"timeout":null,"token":null,"tls_verify":true,"tls_server_name":null,"auth_method":"token","auth_path":null,"auth_role":null,"jwt_path":null}},"preferred_chain":null,"enable_ipv4_common_name":true}""")]
    [InlineData("grpc-gateway", "{}", """{"proto":null}""")]
    [InlineData("grpc-web", "{}", """{"proto":null,"pass_stripped_path":null,"allow_origin_header":"*"}""")]
    [InlineData("pre-function", """{"access":["ngx.exit(403)"]}""", """{"certificate":[],"rewrite":[],"access":["ngx.exit(403)"],"header_filter":[],"body_filter":[],"log":[]}""")]
    [InlineData("post-function", """{"log":["return"]}""", """{"certificate":[],"rewrite":[],"access":[],"header_filter":[],"body_filter":[],"log":["return"]}""")]
    [InlineData("azure-functions", """{"appname":"app","functionname":"fn"}""",
        """{"timeout":600000,"keepalive":60000,"https":true,"https_verify":false,"apikey":null,"clientid":null,"appname":"app","hostdomain":"azurewebsites.net","routeprefix":"api","functionname":"fn"}""")]
    [InlineData("redirect", """{"location":"https://example.com"}""", """{"status_code":301,"location":"https://example.com","keep_incoming_path":false}""")]
    [InlineData("standard-webhooks", """{"secret_v1":"whsec"}""", """{"secret_v1":"whsec","tolerance_second":300}""")]
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
    [InlineData("proxy-cache", """["grpc","grpcs","http","https"]""")]
    [InlineData("session", """["grpc","grpcs","http","https"]""")]
    [InlineData("acme", """["grpc","grpcs","http","https"]""")]
    [InlineData("grpc-gateway", """["grpc","grpcs","http","https"]""")]
    [InlineData("grpc-web", """["grpc","grpcs","http","https"]""")]
    [InlineData("pre-function", """["grpc","grpcs","http","https"]""")]
    [InlineData("post-function", """["grpc","grpcs","http","https"]""")]
    [InlineData("azure-functions", """["grpc","grpcs","http","https"]""")]
    [InlineData("redirect", """["grpc","grpcs","http","https"]""")]
    [InlineData("standard-webhooks", """["grpc","grpcs","http","https"]""")]
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
    [InlineData("acme")]
    [InlineData("redirect")]
    [InlineData("standard-webhooks")]
    public void Http_only_plugins_refuse_stream_protocols(string name) =>
        HasError(Invalid(Plugins.Schema, $$$"""{"name":"{{{name}}}","config":{{{MinimalConfig(name)}}},"protocols":["http","tcp"]}"""), "protocols[1]",
            "expected one of: grpc, grpcs, http, https");

    [Theory]
    [InlineData("proxy-cache")]
    [InlineData("session")]
    [InlineData("grpc-gateway")]
    [InlineData("grpc-web")]
    [InlineData("pre-function")]
    [InlineData("post-function")]
    [InlineData("azure-functions")]
    public void Plugins_on_any_protocol_take_stream_protocols(string name) =>
        Valid(Plugins.Schema, $$$"""{"name":"{{{name}}}","config":{{{MinimalConfig(name)}}},"protocols":["tcp","tls","udp"]}""");

    [Theory]
    [InlineData("oauth2")]
    [InlineData("ldap-auth")]
    [InlineData("session")]
    [InlineData("acme")]
    [InlineData("pre-function")]
    [InlineData("post-function")]
    [InlineData("standard-webhooks")]
    public void No_consumer_plugins_refuse_a_consumer(string name) =>
        HasError(Invalid(Plugins.Schema, $$$"""{"name":"{{{name}}}","config":{{{MinimalConfig(name)}}},"consumer":{"id":"{{{ConsumerId}}}"}}"""), "consumer", "value must be null");

    [Theory]
    [InlineData("response-ratelimiting")]
    [InlineData("aws-lambda")]
    [InlineData("request-termination")]
    [InlineData("proxy-cache")]
    [InlineData("grpc-gateway")]
    [InlineData("grpc-web")]
    [InlineData("azure-functions")]
    [InlineData("redirect")]
    public void Plugins_without_no_consumer_take_a_consumer_route_and_service(string name) =>
        Valid(Plugins.Schema, $$$"""
            {"name":"{{{name}}}","config":{{{MinimalConfig(name)}}},"consumer":{"id":"{{{ConsumerId}}}"},"route":{"id":"{{{RouteId}}}"},"service":{"id":"{{{ServiceId}}}"}}
            """);

    private static string MinimalConfig(string name) => name switch
    {
        "oauth2" => """{"enable_client_credentials":true}""",
        "response-ratelimiting" => """{"limits":{"video":{"minute":10}}}""",
        "ldap-auth" => """{"ldap_host":"ldap.test","base_dn":"dc=example,dc=com","attribute":"cn"}""",
        "proxy-cache" => """{"strategy":"memory"}""",
        "acme" => """{"account_email":"example@example.com","storage":"kong"}""",
        "pre-function" or "post-function" => """{"access":["return"]}""",
        "azure-functions" => """{"appname":"app","functionname":"fn"}""",
        "redirect" => """{"location":"https://example.com"}""",
        "standard-webhooks" => """{"secret_v1":"whsec"}""",
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
    [InlineData("""{"limits":{"video":{"seco":1}}}""", "config.limits.seco", "unknown field")]
    [InlineData("""{"limits":{"video":{"second":2,"minute":1}}}""", "config.limits", "the limit for minute(1.0) cannot be lower than the limit for second(2.0)")]
    [InlineData("""{"limits":{"video":{"second":1,"minute":2,"hour":3,"day":4,"month":6,"year":5}}}""", "config.limits", "the limit for year(5.0) cannot be lower than the limit for month(6.0)")]
    [InlineData("""{"limits":{"second":10}}""", "config.limits", "expected a record")]
    [InlineData("""{"limits":{"video":{}}}""", "config.limits", "at least one of these fields must be non-empty: 'second', 'minute', 'hour', 'day', 'month', 'year'")]
    [InlineData("""{"limits":{"video":{"minute":0}}}""", "config.limits.minute", "value must be greater than 0")]
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

    // proxy-cache (spec/03-plugins/31-proxy-cache/01-schema_spec.lua)

    [Theory]
    [InlineData("""{"strategy":"memory","response_code":[200,301],"request_method":["GET"],"content_type":["application/json"]}""")]
    [InlineData("""{"strategy":"memory","response_code":[123,200]}""")]
    [InlineData("""{"strategy":"memory","vary_query_params":["foo"],"vary_headers":["foo"]}""")]
    [InlineData("""{"strategy":"memory","content_type":["application/*","*/text","application/json; charset=UTF-8"]}""")]
    [InlineData("""{"strategy":"memory","memory":{"dictionary_name":"my_cache"},"response_headers":{"X-Cache-Key":false}}""")]
    public void Proxy_cache_valid_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("proxy-cache", config));

    [Theory]
    [InlineData("{}", "config.strategy", "required field missing")]
    [InlineData("""{"strategy":"redis"}""", "config.strategy", "expected one of: memory")]
    [InlineData("""{"strategy":"memory","response_code":[99]}""", "config.response_code[0]", "value should be between 100 and 900")]
    [InlineData("""{"strategy":"memory","response_code":[]}""", "config.response_code", "length must be at least 1")]
    [InlineData("""{"strategy":"memory","response_code":""}""", "config.response_code", "expected an array")]
    [InlineData("""{"strategy":"memory","response_code":[true,"alo",123]}""", "config.response_code[1]", "expected an integer")]
    [InlineData("""{"strategy":"memory","response_code":[123.5]}""", "config.response_code[0]", "expected an integer")]
    [InlineData("""{"strategy":"memory","cache_ttl":-1}""", "config.cache_ttl", "value must be greater than 0")]
    [InlineData("""{"strategy":"memory","request_method":["DELETE"]}""", "config.request_method[0]", "expected one of: HEAD, GET, POST, PATCH, PUT")]
    [InlineData("""{"strategy":"memory","memory":{"dictionary_name":null}}""", "config.memory.dictionary_name", "required field missing")]
    [InlineData("""{"strategy":"memory","response_headers":{"X-Cache-Status":"yes"}}""", "config.response_headers.X-Cache-Status", "expected a boolean")]
    public void Proxy_cache_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("proxy-cache", config)), path, message);

    // session (no schema spec in Kong; the schema's own rules)

    [Fact]
    public void Session_fills_Kongs_defaults_and_a_fresh_random_secret()
    {
        var config = ConfigOf("session", "{}");
        var secret = config["secret"]!.GetValue<string>();
        Assert.Matches(SessionSecret(), secret);
        config["secret"] = "generated";
        Assert.Equal("""{"secret":"generated","storage":"cookie","audience":"default","idling_timeout":900,"rolling_timeout":3600,"absolute_timeout":86400,"stale_ttl":10,"cookie_name":"session","cookie_path":"/","cookie_domain":null,"cookie_same_site":"Strict","cookie_http_only":true,"cookie_secure":true,"remember":false,"remember_cookie_name":"remember","remember_rolling_timeout":604800,"remember_absolute_timeout":2592000,"response_headers":null,"request_headers":null,"read_body_for_logout":false,"logout_methods":["POST","DELETE"],"logout_query_arg":"session_logout","logout_post_arg":"session_logout"}""",
            config.ToJsonString());
        Assert.NotEqual(secret, ConfigOf("session", "{}")["secret"]!.GetValue<string>());
        Assert.Equal("{vault://env/session-secret}", ConfigOf("session", """{"secret":"{vault://env/session-secret}"}""")["secret"]!.GetValue<string>());
    }

    [GeneratedRegex("^[A-Za-z0-9]{44}$")]
    private static partial Regex SessionSecret();

    [Fact]
    public void Session_cookie_shorthands_write_the_fields_they_replace()
    {
        var config = ConfigOf("session", """
            {"cookie_lifetime":100,"cookie_idletime":20,"cookie_renew":600,"cookie_discard":5,"cookie_samesite":"off","cookie_httponly":false,"cookie_persistent":true,"rolling_timeout":7}
            """);
        Assert.Equal(100, config["rolling_timeout"]!.GetValue<double>());
        Assert.Equal(20, config["idling_timeout"]!.GetValue<double>());
        Assert.Equal(5, config["stale_ttl"]!.GetValue<double>());
        Assert.Equal("Lax", config["cookie_same_site"]!.GetValue<string>());
        Assert.False(config["cookie_http_only"]!.GetValue<bool>());
        Assert.True(config["remember"]!.GetValue<bool>());
        Assert.DoesNotContain(config, p => p.Key.StartsWith("cookie_lifetime", StringComparison.Ordinal) || p.Key == "cookie_renew");
        Assert.Equal("None", ConfigOf("session", """{"cookie_samesite":"None"}""")["cookie_same_site"]!.GetValue<string>());

        // Kong calls their funcs with a null too: no idle time is 0, the others become null.
        var nulls = ConfigOf("session", """{"cookie_idletime":null,"cookie_lifetime":null,"cookie_renew":null}""");
        Assert.Equal("0", nulls["idling_timeout"]!.ToJsonString());
        Assert.Null(nulls["rolling_timeout"]);
    }

    [Theory]
    [InlineData("""{"storage":"redis"}""", "config.storage", "expected one of: cookie, kong")]
    [InlineData("""{"cookie_same_site":"Loose"}""", "config.cookie_same_site", "expected one of: Strict, Lax, None, Default")]
    [InlineData("""{"cookie_samesite":"Loose"}""", "config.cookie_same_site", "expected one of: Strict, Lax, None, Default")]
    [InlineData("""{"response_headers":["id","token"]}""", "config.response_headers[1]", "expected one of: id, audience, subject, timeout, idling-timeout, rolling-timeout, absolute-timeout")]
    [InlineData("""{"logout_methods":["PUT"]}""", "config.logout_methods[0]", "expected one of: GET, POST, DELETE")]
    [InlineData("""{"cookie_lifetime":"long"}""", "config.cookie_lifetime", "expected a number")]
    [InlineData("""{"secret":""}""", "config.secret", "length must be at least 1")]
    public void Session_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("session", config)), path, message);

    // acme (spec/03-plugins/29-acme/04-schema_spec.lua)

    [Theory]
    [InlineData("""{"account_email":"example@example.com","api_uri":"https://api.acme.org","storage":"kong"}""")]
    [InlineData("""{"account_email":"example@example.com","api_uri":"https://acme-v02.api.letsencrypt.org","tos_accepted":true,"storage":"kong"}""")]
    [InlineData("""{"account_email":"example@example.com","storage":"kong","account_key":{"key_id":"123","key_set":"my-key-set"}}""")]
    [InlineData("""{"account_email":"example@example.com","storage":"kong","account_key":{"key_id":"123"}}""")]
    [InlineData("""{"account_email":"example@example.com","storage":"redis","storage_config":{"redis":{"host":"localhost"}}}""")]
    [InlineData("""{"account_email":"{vault://env/acme-email}","storage":"vault","storage_config":{"vault":{"host":"vault.test","auth_method":"kubernetes"}}}""")]
    [InlineData("""{"account_email":"example@example.com","storage":"consul","domains":["*.example.com","example.*","example.org"],"rsa_key_size":2048}""")]
    public void Acme_valid_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("acme", config));

    [Theory]
    [InlineData("""{"storage":"kong"}""", "config.account_email", "required field missing")]
    [InlineData("""{"account_email":"notaemail","storage":"kong"}""", "config.account_email", "invalid value: notaemail")]
    [InlineData("""{"account_email":"a@b.test","storage":"kong","api_uri":"api.acme.org"}""", "config.api_uri", "missing host in url")]
    [InlineData("""{"account_email":"a@b.test","storage":"kong","cert_type":"dsa"}""", "config.cert_type", "expected one of: rsa, ecc")]
    [InlineData("""{"account_email":"a@b.test","storage":"kong","rsa_key_size":1024}""", "config.rsa_key_size", "expected one of: 2048, 3072, 4096")]
    [InlineData("""{"account_email":"a@b.test","storage":"s3"}""", "config.storage", "expected one of: kong, shm, redis, consul, vault")]
    [InlineData("""{"account_email":"a@b.test","storage":"kong","domains":["*.*.example.com"]}""", "config.domains[0]", "invalid wildcard: must have at most one wildcard")]
    [InlineData("""{"account_email":"a@b.test","storage":"kong","account_key":{"key_set":"s"}}""", "config.account_key.key_id", "required field missing")]
    [InlineData("""{"account_email":"a@b.test","storage":"kong","storage_config":{"vault":{"auth_method":"ldap"}}}""", "config.storage_config.vault.auth_method", "expected one of: token, kubernetes")]
    [InlineData("""{"account_email":"a@b.test","storage":"kong","storage_config":{"redis":{"extra_options":{"namespace":"kong_acme:cert_key:x"}}}}""", "config.storage_config.redis.extra_options.namespace", "namespace can't be prefixed with reserved word: kong_acme:cert_key:")]
    [InlineData("""{"account_email":"a@b.test","storage":"redis","storage_config":{"redis":{}}}""", "config.storage_config.redis.host", "required field missing")]
    [InlineData("""{"account_email":"a@b.test","storage":"kong","storage_config":{"redis":{"auth":"a","password":"b"}}}""", "config.storage_config.redis.auth", "both deprecated and new field are used but their values mismatch: auth = a vs password = b")]
    public void Acme_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("acme", config)), path, message);

    [Theory]
    [InlineData("https://acme-staging-v02.api.letsencrypt.org")]
    [InlineData("https://acme-v02.api.letsencrypt.org")]
    public void Acme_lets_encrypt_needs_its_terms_accepted(string api)
    {
        var errors = Invalid(Plugins.Schema, Plugin("acme", $$"""{"account_email":"example@example.com","api_uri":"{{api}}","storage":"kong"}"""));
        HasError(errors, null, "terms of service must be accepted, see https://letsencrypt.org/repository/");
        HasError(errors, "config.tos_accepted", "value must be true");
    }

    [Fact]
    public void Acme_refuses_shm_storage_on_a_control_plane_and_redis_without_a_host()
    {
        // storage defaults to "shm", which Kong's control plane refuses: a minimal acme names its storage.
        HasError(Invalid(Plugins.Schema, Plugin("acme", """{"account_email":"example@example.com"}""")), null, "\"shm\" storage can't be used in Hybrid mode");
        HasError(Invalid(Plugins.Schema, Plugin("acme", """{"account_email":"example@example.com","storage":"redis"}""")), null,
            "failed conditional validation given value of field 'config.storage'");
    }

    [Fact]
    public void Acme_takes_the_deprecated_redis_names()
    {
        var redis = ConfigOf("acme", """
            {"account_email":"a@b.test","storage":"redis","storage_config":{"redis":{"host":"redis.test","auth":"pw","ssl_server_name":"redis.test","namespace":"ns","scan_count":20}}}
            """)["storage_config"]!["redis"]!;
        Assert.Equal("pw", redis["password"]!.GetValue<string>());
        Assert.Equal("redis.test", redis["server_name"]!.GetValue<string>());
        Assert.Equal("""{"namespace":"ns","scan_count":20}""", redis["extra_options"]!.ToJsonString());
        Assert.Null(redis["auth"]);
    }

    [Theory]
    [InlineData("route", RouteId)]
    [InlineData("service", ServiceId)]
    [InlineData("consumer", ConsumerId)]
    public void Acme_is_global_only(string foreign, string id) =>
        HasError(Invalid(Plugins.Schema, $$$"""{"name":"acme","config":{"account_email":"a@b.test","storage":"kong"},"{{{foreign}}}":{"id":"{{{id}}}"}}"""), foreign, "value must be null");

    // grpc-gateway, grpc-web

    [Theory]
    [InlineData("grpc-gateway", """{"proto":"path/to/service.proto"}""")]
    [InlineData("grpc-web", """{"proto":"path/to/service.proto","pass_stripped_path":true,"allow_origin_header":"https://app.test"}""")]
    public void Grpc_valid_configs_are_accepted(string name, string config) => Valid(Plugins.Schema, Plugin(name, config));

    [Theory]
    [InlineData("grpc-gateway", """{"proto":""}""", "config.proto", "length must be at least 1")]
    [InlineData("grpc-gateway", """{"protos":"a.proto"}""", "config.protos", "unknown field")]
    [InlineData("grpc-web", """{"pass_stripped_path":"yes"}""", "config.pass_stripped_path", "expected a boolean")]
    [InlineData("grpc-web", """{"allow_origin_header":5}""", "config.allow_origin_header", "expected a string")]
    public void Grpc_invalid_configs_are_refused_on_their_path(string name, string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin(name, config)), path, message);

    // pre-function, post-function (spec/03-plugins/33-serverless-functions/01-schema_spec.lua)

    [Theory]
    [InlineData("pre-function")]
    [InlineData("post-function")]
    public void Serverless_functions_need_at_least_one_phase(string name)
    {
        const string Message = "at least one of these fields must be non-empty: 'config.certificate', 'config.rewrite', 'config.access', 'config.header_filter', 'config.body_filter', 'config.log'";
        HasError(Invalid(Plugins.Schema, Plugin(name, "{}")), null, Message);
        HasError(Invalid(Plugins.Schema, $$"""{"name":"{{name}}"}"""), null, Message);
        HasError(Invalid(Plugins.Schema, Plugin(name, """{"access":[]}""")), null, Message);
        Valid(Plugins.Schema, Plugin(name, """{"access":["(\"hello world!\"):find(\"world\")","local x = 1"],"log":["local x = 1 return function() x = x + 1 end"]}"""));
    }

    [Theory]
    [InlineData("pre-function", """{"access":"return"}""", "config.access", "expected an array")]
    [InlineData("pre-function", """{"access":[5]}""", "config.access[0]", "expected a string")]
    [InlineData("post-function", """{"log":[""]}""", "config.log[0]", "length must be at least 1")]
    [InlineData("post-function", """{"functions":["return"]}""", "config.functions", "unknown field")]
    [InlineData("post-function", """{"access":null}""", "config.access", "required field missing")]
    public void Serverless_functions_invalid_configs_are_refused_on_their_path(string name, string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin(name, config)), path, message);

    // azure-functions

    [Theory]
    [InlineData("""{"functionname":"fn"}""", "config.appname", "required field missing")]
    [InlineData("""{"appname":"app"}""", "config.functionname", "required field missing")]
    [InlineData("""{"appname":"app","functionname":"fn","hostdomain":null}""", "config.hostdomain", "required field missing")]
    [InlineData("""{"appname":"app","functionname":"fn","https":"yes"}""", "config.https", "expected a boolean")]
    [InlineData("""{"appname":"app","functionname":"fn","timeout":"10s"}""", "config.timeout", "expected a number")]
    public void Azure_functions_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("azure-functions", config)), path, message);

    [Fact]
    public void Azure_functions_keep_vault_references_for_their_keys() =>
        Assert.Equal("{vault://env/azure-key}",
            ConfigOf("azure-functions", """{"appname":"app","functionname":"fn","apikey":"{vault://env/azure-key}"}""")["apikey"]!.GetValue<string>());

    // redirect (spec/03-plugins/45-redirect/01-schema_spec.lua)

    [Theory]
    [InlineData("""{"status_code":404,"location":"https://example.com"}""")]
    [InlineData("""{"location":"https://example.com","keep_incoming_path":true}""")]
    public void Redirect_valid_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("redirect", config));

    [Theory]
    [InlineData("""{"status_code":"abcd","location":"https://example.com"}""", "config.status_code", "expected an integer")]
    [InlineData("""{"status_code":null,"location":"https://example.com"}""", "config.status_code", "required field missing")]
    [InlineData("""{"status_code":99,"location":"https://example.com"}""", "config.status_code", "value should be between 100 and 599")]
    [InlineData("""{"status_code":600,"location":"https://example.com"}""", "config.status_code", "value should be between 100 and 599")]
    [InlineData("""{"status_code":301}""", "config.location", "required field missing")]
    [InlineData("""{"status_code":301,"location":"definitely_not_a_url"}""", "config.location", "missing host in url")]
    [InlineData("""{"status_code":301,"location":"https://example.com","keep_incoming_path":"invalid"}""", "config.keep_incoming_path", "expected a boolean")]
    public void Redirect_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("redirect", config)), path, message);

    // standard-webhooks

    [Theory]
    [InlineData("""{"secret_v1":"whsec","tolerance_second":0}""")]
    [InlineData("""{"secret_v1":"{vault://env/webhook-secret}"}""")]
    public void Standard_webhooks_valid_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("standard-webhooks", config));

    [Theory]
    [InlineData("{}", "config.secret_v1", "required field missing")]
    [InlineData("""{"secret_v1":"whsec","tolerance_second":-1}""", "config.tolerance_second", "value must be greater than -1")]
    [InlineData("""{"secret_v1":"whsec","tolerance_second":1.5}""", "config.tolerance_second", "expected an integer")]
    [InlineData("""{"secret_v1":"whsec","tolerance_second":null}""", "config.tolerance_second", "required field missing")]
    public void Standard_webhooks_invalid_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("standard-webhooks", config)), path, message);
}
