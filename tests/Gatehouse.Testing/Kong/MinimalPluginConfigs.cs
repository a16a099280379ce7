using System.Text.Json.Nodes;

namespace Gatehouse.Testing.Kong;

/// <summary>
/// A valid config for each of Kong 3.9's 45 bundled plugins (kong/constants.lua at 3.9.3), for
/// tests that need every plugin at once. Minimal in that each sets only what a realistic use of the
/// plugin sets, but never only defaults: each gives at least one value Kong would not fill in, so a
/// round trip through storage proves the config itself survived, not just its defaults.
/// </summary>
public static class MinimalPluginConfigs
{
    /// <summary>oauth2's <c>provision_key</c> is generated when missing; given here so that the config is the same every time.</summary>
    public const string OAuth2ProvisionKey = "Gq3vXk9TmN2pR7sW4yB8cD1fH6jL0aZe";

    private const string OpenAiGpt4o = """{"route_type":"llm/v1/chat","auth":{"header_name":"Authorization","header_value":"Bearer sk-test-0123"},"model":{"provider":"openai","name":"gpt-4o","options":{"max_tokens":512,"temperature":0.5}}}""";

    /// <summary>Config JSON by plugin name.</summary>
    public static IReadOnlyDictionary<string, string> ByName { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["jwt"] = """{"claims_to_verify":["exp"],"maximum_expiration":3600,"key_claim_name":"iss"}""",
        ["acl"] = """{"allow":["gold"],"hide_groups_header":true}""",
        ["correlation-id"] = """{"header_name":"X-Request-Id","generator":"uuid#counter","echo_downstream":true}""",
        ["cors"] = """{"origins":["https://shop.example.com"],"methods":["GET","POST"],"credentials":true,"max_age":3600}""",
        ["oauth2"] = $$"""{"enable_authorization_code":true,"scopes":["email","profile"],"mandatory_scope":true,"token_expiration":3600,"provision_key":"{{OAuth2ProvisionKey}}"}""",
        ["tcp-log"] = """{"host":"logs.internal","port":9000,"tls":true}""",
        ["udp-log"] = """{"host":"logs.internal","port":9001,"timeout":5000}""",
        ["file-log"] = """{"path":"/var/log/kong/requests.log","reopen":true}""",
        ["http-log"] = """{"http_endpoint":"https://logs.internal/kong","method":"PUT","headers":{"X-Source":"kong"}}""",
        ["key-auth"] = """{"key_names":["apikey","x-api-key"],"hide_credentials":true}""",
        ["hmac-auth"] = """{"clock_skew":120,"enforce_headers":["date"],"algorithms":["hmac-sha256","hmac-sha512"]}""",
        ["basic-auth"] = """{"hide_credentials":true}""",
        ["ip-restriction"] = """{"deny":["10.10.0.0/16","192.0.2.7"],"status":403,"message":"Forbidden"}""",
        ["request-transformer"] = """{"add":{"headers":["X-Gateway:gatehouse"]},"remove":{"headers":["X-Internal"]}}""",
        ["response-transformer"] = """{"add":{"headers":["X-Served-By:kong"]},"remove":{"headers":["Server"]}}""",
        ["request-size-limiting"] = """{"allowed_payload_size":8,"size_unit":"megabytes","require_content_length":true}""",
        ["rate-limiting"] = """{"minute":60,"hour":1000,"policy":"local","limit_by":"consumer"}""",
        ["response-ratelimiting"] = """{"limits":{"video":{"minute":10,"hour":100}},"header_name":"x-kong-limit"}""",
        ["syslog"] = """{"log_level":"warning","facility":"local0"}""",
        ["loggly"] = """{"key":"loggly-token-0123","tags":["kong","gatehouse"]}""",
        ["datadog"] = """{"host":"dd-agent.internal","port":8125,"prefix":"gatehouse"}""",
        ["ldap-auth"] = """{"ldap_host":"ldap.internal","ldap_port":636,"ldaps":true,"base_dn":"dc=example,dc=com","attribute":"uid"}""",
        ["statsd"] = """{"host":"statsd.internal","prefix":"gatehouse","udp_packet_size":1400}""",
        ["bot-detection"] = """{"deny":["curl/.*"],"allow":["HealthChecker/1\\.0"]}""",
        ["aws-lambda"] = """{"aws_region":"eu-west-1","function_name":"orders-handler","timeout":30000}""",
        ["request-termination"] = """{"status_code":503,"message":"Down for maintenance"}""",
        ["prometheus"] = """{"per_consumer":true,"status_code_metrics":true,"latency_metrics":true}""",
        ["proxy-cache"] = """{"strategy":"memory","cache_ttl":60,"content_type":["application/json"]}""",
        ["session"] = """{"secret":"session-secret-0123456789abcdef","cookie_name":"gh_session","rolling_timeout":1800}""",
        ["acme"] = """{"account_email":"ops@example.com","domains":["shop.example.com"],"tos_accepted":true,"storage":"kong"}""",
        ["grpc-gateway"] = """{"proto":"/usr/local/kong/protos/orders.proto"}""",
        ["grpc-web"] = """{"allow_origin_header":"https://shop.example.com","pass_stripped_path":true}""",
        ["pre-function"] = """{"access":["kong.service.request.set_header('X-Pre', '1')"]}""",
        ["post-function"] = """{"header_filter":["kong.response.set_header('X-Post', '1')"]}""",
        ["azure-functions"] = """{"appname":"orders-app","functionname":"orders","apikey":"azure-key-0123"}""",
        ["zipkin"] = """{"http_endpoint":"http://zipkin.internal:9411/api/v2/spans","sample_ratio":0.25}""",
        ["opentelemetry"] = """{"traces_endpoint":"http://otel.internal:4318/v1/traces","resource_attributes":{"service.name":"gatehouse"}}""",
        ["ai-proxy"] = OpenAiGpt4o,
        ["ai-prompt-decorator"] = """{"prompts":{"prepend":[{"role":"system","content":"You are a helpful assistant."}]}}""",
        ["ai-prompt-template"] = """{"templates":[{"name":"summarize","template":"Summarize: {{text}}"}],"allow_untemplated_requests":false}""",
        ["ai-prompt-guard"] = """{"deny_patterns":[".*password.*"],"match_all_roles":true}""",
        ["ai-request-transformer"] = """{"prompt":"Translate the body to French","llm":""" + OpenAiGpt4o + "}",
        ["ai-response-transformer"] = """{"prompt":"Summarize the body","parse_llm_response_json_instructions":true,"llm":""" + OpenAiGpt4o + "}",
        ["standard-webhooks"] = """{"secret_v1":"whsec_c2VjcmV0LTAxMjM=","tolerance_second":600}""",
        ["redirect"] = """{"location":"https://new.example.com","status_code":308,"keep_incoming_path":true}""",
    };

    /// <summary>A fresh copy of the config of <paramref name="name"/>, to put in a document.</summary>
    public static JsonObject For(string name) => JsonNode.Parse(ByName[name])!.AsObject();
}
