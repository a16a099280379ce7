using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities.PluginConfigs;

/// <summary>
/// The AI plugins against kong/plugins/ai-*/schema.lua and kong/llm/schemas/init.lua (3.9.3): the
/// defaults a minimal config gets, refusals on the field's path with Kong's message, and the
/// entity checks. Cases after spec/03-plugins/38-ai-proxy .. 42-ai-prompt-guard/00-config_spec.lua.
/// </summary>
public sealed class AiPluginSchemaTests
{
    private const string ConsumerId = "6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f";

    private const string OpenAi = """{"route_type":"llm/v1/chat","model":{"provider":"openai"}}""";

    private const string OpenAiDefaults =
        """{"route_type":"llm/v1/chat","auth":null,"model":{"provider":"openai","name":null,"options":null},"logging":{"log_statistics":false,"log_payloads":false}}""";

    private static string Plugin(string name, string config) => $$"""{"name":"{{name}}","config":{{config}}}""";

    private static string Proxy(string config) => Plugin("ai-proxy", config);

    private static string Transformer(string name, string llm, string extra = "") =>
        Plugin(name, $$"""{"prompt":"Translate to French"{{extra}},"llm":{{llm}}}""");

    [Theory]
    [InlineData("ai-proxy", OpenAi,
        """{"route_type":"llm/v1/chat","auth":null,"model":{"provider":"openai","name":null,"options":null},"logging":{"log_statistics":false,"log_payloads":false},"response_streaming":"allow","max_request_body_size":8192,"model_name_header":true,"llm_format":"openai"}""")]
    [InlineData("ai-prompt-decorator", """{"prompts":{"prepend":[{"content":"You are a pirate."}]}}""",
        """{"prompts":{"prepend":[{"role":"system","content":"You are a pirate."}],"append":null},"max_request_body_size":8192,"llm_format":"openai"}""")]
    [InlineData("ai-prompt-template", """{"templates":[{"name":"greet","template":"Say hi to {{name}}"}]}""",
        """{"templates":[{"name":"greet","template":"Say hi to {{name}}"}],"allow_untemplated_requests":true,"log_original_request":false,"max_request_body_size":8192}""")]
    [InlineData("ai-prompt-guard", """{"deny_patterns":[".*password.*"]}""",
        """{"allow_patterns":null,"deny_patterns":[".*password.*"],"allow_all_conversation_history":false,"max_request_body_size":8192,"match_all_roles":false,"llm_format":"openai"}""")]
    [InlineData("ai-request-transformer", """{"prompt":"p","llm":""" + OpenAi + "}",
        """{"prompt":"p","transformation_extract_pattern":null,"http_timeout":60000,"https_verify":true,"max_request_body_size":8192,"http_proxy_host":null,"http_proxy_port":null,"https_proxy_host":null,"https_proxy_port":null,"llm":""" + OpenAiDefaults + "}")]
    [InlineData("ai-response-transformer", """{"prompt":"p","llm":""" + OpenAi + "}",
        """{"prompt":"p","transformation_extract_pattern":null,"parse_llm_response_json_instructions":false,"http_timeout":60000,"https_verify":true,"max_request_body_size":8192,"http_proxy_host":null,"http_proxy_port":null,"https_proxy_host":null,"https_proxy_port":null,"llm":""" + OpenAiDefaults + "}")]
    public void A_minimal_config_gets_Kongs_defaults_and_http_protocols(string name, string config, string expected)
    {
        var plugin = Valid(Plugins.Schema, Plugin(name, config));
        Assert.Equal(expected, plugin["config"]!.ToJsonString());
        Assert.Equal("""["grpc","grpcs","http","https"]""", plugin["protocols"]!.ToJsonString());
    }

    [Fact]
    public void Empty_auth_and_model_options_records_are_filled_to_their_full_shape()
    {
        var plugin = Valid(Plugins.Schema, Proxy("""{"route_type":"llm/v1/chat","auth":{},"model":{"provider":"openai","options":{}}}"""));
        Assert.Equal(
            """{"header_name":null,"header_value":null,"param_name":null,"param_value":null,"param_location":null,"gcp_use_service_account":false,"gcp_service_account_json":null,"aws_access_key_id":null,"aws_secret_access_key":null,"allow_override":false}""",
            plugin["config"]!["auth"]!.ToJsonString());
        Assert.Equal(
            """{"max_tokens":null,"input_cost":null,"output_cost":null,"temperature":null,"top_p":null,"top_k":null,"anthropic_version":null,"azure_instance":null,"azure_api_version":"2023-05-15","azure_deployment_id":null,"llama2_format":null,"mistral_format":null,"upstream_url":null,"upstream_path":null,"gemini":null,"bedrock":null,"huggingface":null}""",
            plugin["config"]!["model"]!["options"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"route_type":"llm/v1/chat","auth":{"header_name":"Authorization","header_value":"Bearer token"},"model":{"provider":"openai","name":"gpt-4o","options":{"max_tokens":256,"temperature":1.0}}}""")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"llama2","options":{"llama2_format":"raw","upstream_url":"http://nowhere"}}}""")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"mistral","options":{"mistral_format":"ollama","upstream_url":"http://nowhere"}}}""")]
    [InlineData("""{"route_type":"llm/v1/chat","auth":{"param_name":"apikey","param_value":"key","param_location":"query","header_name":"Authorization","header_value":"Bearer token"},"model":{"provider":"openai"}}""")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"anthropic","options":{"anthropic_version":"2023-06-01"}},"logging":{"log_statistics":true,"log_payloads":true}}""")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"azure","options":{"azure_instance":"inst","azure_deployment_id":"dep"}}}""")]
    [InlineData("""{"route_type":"llm/v1/chat","auth":{"allow_override":false},"model":{"provider":"gemini","options":{"gemini":{"api_endpoint":"us-central1-aiplatform.googleapis.com","project_id":"p","location_id":"us-central1"}}},"llm_format":"gemini"}""")]
    [InlineData("""{"route_type":"llm/v1/chat","auth":{"allow_override":false,"aws_access_key_id":"AKIA","aws_secret_access_key":"{vault://aws/secret}"},"model":{"provider":"bedrock","options":{"bedrock":{"aws_region":"eu-west-1"}}},"llm_format":"bedrock"}""")]
    [InlineData("""{"route_type":"preserve","model":{"provider":"huggingface","options":{"huggingface":{"use_cache":true},"upstream_path":"/v1/x"}},"response_streaming":"deny"}""")]
    [InlineData("""{"route_type":"llm/v1/completions","model":{"provider":"cohere","options":{"top_k":500,"top_p":0,"input_cost":0.5,"output_cost":1}}}""")]
    [InlineData("""{"route_type":"llm/v1/chat","auth":{"header_name":"{vault://env/llm-header}"},"model":{"provider":"openai"}}""")]
    public void Valid_ai_proxy_configs_are_accepted(string config) => Valid(Plugins.Schema, Proxy(config));

    [Theory]
    [InlineData("""{"model":{"provider":"openai"}}""", "config.route_type", "required field missing")]
    [InlineData("""{"route_type":"llm/v1/chat"}""", "config.model.provider", "required field missing")]
    [InlineData("""{"route_type":"llm/v1/chat","model":null}""", "config.model", "required field missing")]
    [InlineData("""{"route_type":"llm/v2/chat","model":{"provider":"openai"}}""", "config.route_type", "expected one of: llm/v1/chat, llm/v1/completions, preserve")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"vertex"}}""", "config.model.provider", "expected one of: openai, azure, anthropic, cohere, mistral, llama2, gemini, bedrock, huggingface")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai","options":{"temperature":5.5}}}""", "config.model.options.temperature", "value should be between 0 and 5")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai","options":{"top_p":1.5}}}""", "config.model.options.top_p", "value should be between 0 and 1")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai","options":{"top_k":501}}}""", "config.model.options.top_k", "value should be between 0 and 500")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai","options":{"max_tokens":1.5}}}""", "config.model.options.max_tokens", "expected an integer")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai","options":{"input_cost":0}}}""", "config.model.options.input_cost", "value must be greater than 0")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai","options":{"upstream_url":"nowhere"}}}""", "config.model.options.upstream_url", "missing host in url")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai","options":{"upstream_url":"//nowhere/v1"}}}""", "config.model.options.upstream_url", "missing scheme in url")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"llama2","options":{"llama2_format":"gguf","upstream_url":"http://x"}}}""", "config.model.options.llama2_format", "expected one of: raw, openai, ollama")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai","options":{"nope":1}}}""", "config.model.options.nope", "unknown field")]
    [InlineData("""{"route_type":"llm/v1/chat","auth":{"param_location":"header"},"model":{"provider":"openai"}}""", "config.auth.param_location", "expected one of: query, body")]
    [InlineData("""{"route_type":"llm/v1/chat","auth":{"header_value":""},"model":{"provider":"openai"}}""", "config.auth.header_value", "length must be at least 1")]
    [InlineData("""{"route_type":"llm/v1/chat","logging":{"log_statistics":null},"model":{"provider":"openai"}}""", "config.logging.log_statistics", "required field missing")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai"},"response_streaming":"sometimes"}""", "config.response_streaming", "expected one of: allow, deny, always")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai"},"max_request_body_size":0}""", "config.max_request_body_size", "value must be greater than 0")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai"},"model_name_header":"yes"}""", "config.model_name_header", "expected a boolean")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai"},"llm_format":"anthropic"}""", "config.llm_format", "expected one of: openai, bedrock, gemini")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"gemini","options":{"gemini":{"project_id":"p"}}},"auth":{"allow_override":false}}""", "config.model.options.gemini", "all or none of these fields must be set: 'api_endpoint', 'project_id', 'location_id'")]
    public void Invalid_ai_proxy_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Proxy(config)), path, message);

    [Theory]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"anthropic","options":{"max_tokens":256}}}""", "must set 'model.options.anthropic_version' for anthropic provider")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"azure","options":{"azure_deployment_id":"d"}}}""", "must set 'model.options.azure_instance' for azure provider")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"azure","options":{"azure_instance":"i"}}}""", "must set 'model.options.azure_deployment_id' for azure provider")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"azure","options":{"azure_instance":"i","azure_deployment_id":"d","azure_api_version":null}}}""", "must set 'model.options.azure_api_version' for azure provider")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"mistral"}}""", "must set 'model.options.mistral_format' for mistral provider")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"llama2","options":{"upstream_url":"http://x"}}}""", "must set 'model.options.llama2_format' for llama2 provider")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"llama2","options":{"llama2_format":"raw"}}}""", "must set 'model.options.upstream_url' for self-hosted providers/models")]
    [InlineData("""{"route_type":"llm/v1/chat","auth":{"header_name":"Authorization"},"model":{"provider":"openai"}}""", "all or none of these fields must be set: 'auth.header_name', 'auth.header_value'")]
    [InlineData("""{"route_type":"llm/v1/chat","auth":{"param_name":"apikey","param_value":"key"},"model":{"provider":"openai"}}""", "all or none of these fields must be set: 'auth.param_name', 'auth.param_value', 'auth.param_location'")]
    [InlineData("""{"route_type":"llm/v1/completions","model":{"provider":"anthropic","options":{"anthropic_version":"2023-06-01"}},"logging":{"log_statistics":true}}""", "anthropic does not support statistics when route_type is llm/v1/completions")]
    [InlineData("""{"route_type":"llm/v1/chat","auth":{"allow_override":true},"model":{"provider":"bedrock"}}""", "bedrock and gemini only support auth.allow_override = false")]
    public void The_llm_records_checks_refuse_the_config_record(string config, string message) =>
        HasError(Invalid(Plugins.Schema, Proxy(config)), "config", message);

    [Fact]
    public void Gemini_and_bedrock_need_auth_given_since_a_missing_allow_override_is_not_false()
    {
        // Kong's eq = false refuses null (si:881-883), and auth is null unless given: spec
        // 38-ai-proxy/00-config_spec.lua passes auth = { allow_override = false } for these providers.
        var errors = Invalid(Plugins.Schema, Proxy("""{"route_type":"llm/v1/chat","model":{"provider":"gemini"}}"""));
        HasError(errors, "config.auth.allow_override", "value must be false");
        HasError(errors, "config", "bedrock and gemini only support auth.allow_override = false");
        Valid(Plugins.Schema, Proxy("""{"route_type":"llm/v1/chat","auth":{},"model":{"provider":"gemini"}}"""));
    }

    [Fact]
    public void Every_azure_option_that_is_missing_is_named()
    {
        var errors = Invalid(Plugins.Schema, Proxy("""{"route_type":"llm/v1/chat","model":{"provider":"azure"}}"""));
        HasError(errors, "config", "must set 'model.options.azure_instance' for azure provider");
        HasError(errors, "config", "must set 'model.options.azure_api_version' for azure provider");
        HasError(errors, "config", "must set 'model.options.azure_deployment_id' for azure provider");
    }

    [Fact]
    public void The_statistics_rule_does_not_run_when_the_model_failed()
    {
        var errors = Invalid(Plugins.Schema, Proxy(
            """{"route_type":"llm/v1/completions","model":{"provider":"anthropic","options":{"anthropic_version":"v","temperature":9}},"logging":{"log_statistics":true}}"""));
        HasError(errors, "config.model.options.temperature", "value should be between 0 and 5");
        Assert.DoesNotContain(errors, e => e.Message.Contains("does not support statistics", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"route_type":"llm/v1/completions","auth":{"allow_override":false},"model":{"provider":"gemini"},"llm_format":"gemini"}""",
        "config.route_type", "value must be llm/v1/chat", "native provider options in llm_format can only be used with the 'llm/v1/chat' route_type")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai"},"llm_format":"bedrock"}""",
        "config.model.provider", "value must be bedrock", "native llm_format 'bedrock' can only be used with the 'bedrock' model.provider")]
    [InlineData("""{"route_type":"llm/v1/chat","model":{"provider":"openai"},"llm_format":"gemini"}""",
        "config.model.provider", "value must be gemini", "native llm_format 'gemini' can only be used with the 'gemini' model.provider")]
    public void A_native_llm_format_needs_the_chat_route_and_its_own_provider(string config, string path, string fieldMessage, string entityMessage)
    {
        var errors = Invalid(Plugins.Schema, Proxy(config));
        HasError(errors, path, fieldMessage);
        HasError(errors, null, entityMessage);
    }

    [Fact]
    public void An_explicit_null_llm_format_meets_all_three_native_format_checks_and_is_refused()
    {
        var errors = Invalid(Plugins.Schema, Proxy("""{"route_type":"llm/v1/chat","model":{"provider":"openai"},"llm_format":null}"""));
        HasError(errors, "config.model.provider", "value must be bedrock");
        HasError(errors, "config.model.provider", "value must be gemini");
    }

    [Theory]
    [InlineData("""{"prompts":{"append":[{"role":"user","content":"Answer in French."}]}}""")]
    [InlineData("""{"prompts":{"prepend":[{"role":"assistant","content":"Hi"}],"append":[]},"llm_format":"bedrock"}""")]
    public void Valid_decorator_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("ai-prompt-decorator", config));

    [Theory]
    [InlineData("""{"prompts":{"prepend":[{"content":""}]}}""", "config.prompts.prepend[0].content", "length must be at least 1")]
    [InlineData("""{"prompts":{"prepend":[{"role":"tool","content":"x"}]}}""", "config.prompts.prepend[0].role", "expected one of: system, assistant, user")]
    [InlineData("""{"prompts":{"append":[{"role":"user"}]}}""", "config.prompts.append[0].content", "required field missing")]
    [InlineData("""{"prompts":{"append":[null]}}""", "config.prompts.append[0]", "required field missing")]
    [InlineData("""{"prompts":{"append":"x"}}""", "config.prompts.append", "expected an array")]
    [InlineData("""{"prompts":{"prepend":[{"content":"x"}]},"max_request_body_size":-1}""", "config.max_request_body_size", "value must be greater than 0")]
    public void Invalid_decorator_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("ai-prompt-decorator", config)), path, message);

    [Fact]
    public void Decorator_content_and_message_counts_have_Kongs_limits()
    {
        HasError(Invalid(Plugins.Schema, Plugin("ai-prompt-decorator", $$$"""{"prompts":{"prepend":[{"content":"{{{new string('x', 501)}}}"}]}}""")),
            "config.prompts.prepend[0].content", "length must be at most 500");
        var sixteen = string.Join(",", Enumerable.Repeat("""{"content":"x"}""", 16));
        HasError(Invalid(Plugins.Schema, Plugin("ai-prompt-decorator", $$$"""{"prompts":{"append":[{{{sixteen}}}]}}""")),
            "config.prompts.append", "length must be at most 15");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"prompts":{}}""")]
    [InlineData("""{"prompts":{"prepend":[],"append":[]}}""")]
    public void A_decorator_without_messages_is_refused_as_a_whole(string config) =>
        HasError(Invalid(Plugins.Schema, Plugin("ai-prompt-decorator", config)), null,
            "at least one of these fields must be non-empty: 'config.prompts.prepend', 'config.prompts.append'");

    [Theory]
    [InlineData("""{"templates":[]}""")]
    [InlineData("""{"templates":[{"name":"a","template":"{{x}}"},{"name":"b","template":"y"}],"allow_untemplated_requests":false,"log_original_request":true}""")]
    public void Valid_template_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("ai-prompt-template", config));

    [Theory]
    [InlineData("{}", "config.templates", "required field missing")]
    [InlineData("""{"templates":[{"name":"a"}]}""", "config.templates[0].template", "required field missing")]
    [InlineData("""{"templates":[{"name":"","template":"t"}]}""", "config.templates[0].name", "length must be at least 1")]
    [InlineData("""{"templates":[{"name":"a","template":"t","extra":1}]}""", "config.templates[0].extra", "unknown field")]
    [InlineData("""{"templates":[],"allow_untemplated_requests":null}""", "config.allow_untemplated_requests", "required field missing")]
    public void Invalid_template_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("ai-prompt-template", config)), path, message);

    [Theory]
    [InlineData("""{"allow_patterns":["^what is"],"deny_patterns":["password"],"match_all_roles":true}""")]
    [InlineData("""{"allow_patterns":["a","b","c","d","e","f","g","h","i","j"],"allow_all_conversation_history":true}""")]
    public void Valid_guard_configs_are_accepted(string config) => Valid(Plugins.Schema, Plugin("ai-prompt-guard", config));

    [Theory]
    [InlineData("""{"allow_patterns":["a","b","c","d","e","f","g","h","i","j","k"]}""", "config.allow_patterns", "length must be at most 10")]
    [InlineData("""{"deny_patterns":[""]}""", "config.deny_patterns[0]", "length must be at least 1")]
    [InlineData("""{"deny_patterns":[1]}""", "config.deny_patterns[0]", "expected a string")]
    [InlineData("""{"deny_patterns":["x"],"match_all_roles":"yes"}""", "config.match_all_roles", "expected a boolean")]
    [InlineData("""{"allow_patterns":["wat"],"allow_all_conversation_history":true,"match_all_roles":true}""", "config.allow_all_conversation_history", "value must be false")]
    public void Invalid_guard_configs_are_refused_on_their_path(string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin("ai-prompt-guard", config)), path, message);

    [Fact]
    public void Guard_patterns_have_Kongs_limits_and_checks()
    {
        HasError(Invalid(Plugins.Schema, Plugin("ai-prompt-guard", $$"""{"allow_patterns":["{{new string('x', 501)}}"]}""")),
            "config.allow_patterns[0]", "length must be at most 500");
        HasError(Invalid(Plugins.Schema, Plugin("ai-prompt-guard", "{}")), null,
            "at least one of these fields must be non-empty: 'config.allow_patterns', 'config.deny_patterns'");
        HasError(Invalid(Plugins.Schema, Plugin("ai-prompt-guard", """{"allow_patterns":[],"deny_patterns":[]}""")), null,
            "at least one of these fields must be non-empty: 'config.allow_patterns', 'config.deny_patterns'");
        HasError(Invalid(Plugins.Schema, Plugin("ai-prompt-guard", """{"allow_patterns":["wat"],"allow_all_conversation_history":true,"match_all_roles":true}""")),
            null, "failed conditional validation given value of field 'config.match_all_roles'");
    }

    private const string Llama2 =
        """{"route_type":"llm/v1/chat","auth":{"header_name":"Authorization","header_value":"Bearer token"},"model":{"name":"llama-2-7b-chat-hf","provider":"llama2","options":{"max_tokens":256,"temperature":1.0,"llama2_format":"raw","upstream_url":"http://kong"}}}""";

    [Theory]
    [InlineData("ai-request-transformer")]
    [InlineData("ai-response-transformer")]
    public void Transformers_accept_a_chat_llm_and_a_complete_forward_proxy(string name)
    {
        Valid(Plugins.Schema, Transformer(name, Llama2));
        Valid(Plugins.Schema, Transformer(name, Llama2,
            ""","http_proxy_host":"proxy.local","http_proxy_port":3128,"https_proxy_host":"proxy.local","https_proxy_port":3129,"http_timeout":1000,"https_verify":false,"transformation_extract_pattern":"\\{.*\\}" """));
    }

    [Theory]
    [InlineData("ai-request-transformer")]
    [InlineData("ai-response-transformer")]
    public void Transformers_need_the_chat_route_type(string name)
    {
        var errors = Invalid(Plugins.Schema, Plugin(name, $$"""{"llm":{{Llama2.Replace("llm/v1/chat", "llm/v1/completions", StringComparison.Ordinal)}}}"""));
        HasError(errors, "config.llm.route_type", "value must be llm/v1/chat");
        HasError(errors, null, "'config.llm.route_type' must be 'llm/v1/chat' for AI transformer plugins");
        HasError(errors, "config.prompt", "required field missing");

        // An unknown route type is route_type's own error, not the transformer rule's.
        var unknown = Invalid(Plugins.Schema, Transformer(name, Llama2.Replace("llm/v1/chat", "llm/v9", StringComparison.Ordinal)));
        HasError(unknown, "config.llm.route_type", "expected one of: llm/v1/chat, llm/v1/completions, preserve");
        Assert.DoesNotContain(unknown, e => e.Path is null);
    }

    [Theory]
    [InlineData("ai-request-transformer", ""","https_proxy_host":"kong.local" """, "all or none of these fields must be set: 'config.https_proxy_host', 'config.https_proxy_port'")]
    [InlineData("ai-response-transformer", ""","http_proxy_port":8080 """, "all or none of these fields must be set: 'config.http_proxy_host', 'config.http_proxy_port'")]
    public void Transformers_need_proxy_host_and_port_together(string name, string extra, string message) =>
        HasError(Invalid(Plugins.Schema, Transformer(name, Llama2, extra)), null, message);

    [Theory]
    [InlineData("ai-request-transformer", """{"llm":{"route_type":"llm/v1/chat","model":{"provider":"openai"}}}""", "config.prompt", "required field missing")]
    [InlineData("ai-request-transformer", """{"prompt":"p"}""", "config.llm.route_type", "required field missing")]
    [InlineData("ai-request-transformer", """{"prompt":"p","http_proxy_host":"proxy:3128","http_proxy_port":3128,"llm":{"route_type":"llm/v1/chat","model":{"provider":"openai"}}}""", "config.http_proxy_host", "must not have a port")]
    [InlineData("ai-request-transformer", """{"prompt":"p","https_proxy_host":"proxy","https_proxy_port":70000,"llm":{"route_type":"llm/v1/chat","model":{"provider":"openai"}}}""", "config.https_proxy_port", "value should be between 0 and 65535")]
    [InlineData("ai-response-transformer", """{"prompt":"p","http_timeout":null,"llm":{"route_type":"llm/v1/chat","model":{"provider":"openai"}}}""", "config.http_timeout", "required field missing")]
    [InlineData("ai-response-transformer", """{"prompt":"p","parse_llm_response_json_instructions":1,"llm":{"route_type":"llm/v1/chat","model":{"provider":"openai"}}}""", "config.parse_llm_response_json_instructions", "expected a boolean")]
    [InlineData("ai-response-transformer", """{"prompt":"p","llm":{"route_type":"llm/v1/chat","model":{"provider":"anthropic"}}}""", "config.llm", "must set 'model.options.anthropic_version' for anthropic provider")]
    public void Invalid_transformer_configs_are_refused_on_their_path(string name, string config, string path, string message) =>
        HasError(Invalid(Plugins.Schema, Plugin(name, config)), path, message);

    [Fact]
    public void Only_the_request_transformer_refuses_a_consumer()
    {
        var consumer = $$$""","consumer":{"id":"{{{ConsumerId}}}"}}""";
        HasError(Invalid(Plugins.Schema, Transformer("ai-request-transformer", Llama2)[..^1] + consumer), "consumer", "value must be null");
        Valid(Plugins.Schema, Transformer("ai-response-transformer", Llama2)[..^1] + consumer);
        Valid(Plugins.Schema, Proxy(OpenAi)[..^1] + consumer);
    }

    [Theory]
    [InlineData("ai-proxy", OpenAi)]
    [InlineData("ai-prompt-guard", """{"deny_patterns":["x"]}""")]
    [InlineData("ai-request-transformer", """{"prompt":"p","llm":""" + OpenAi + "}")]
    public void The_ai_plugins_run_on_http_protocols_only(string name, string config) =>
        HasError(Invalid(Plugins.Schema, Plugin(name, config)[..^1] + ""","protocols":["http","tcp"]}"""), "protocols[1]",
            "expected one of: grpc, grpcs, http, https");

    [Fact]
    public void A_patch_merges_into_the_stored_llm_and_runs_its_checks_again()
    {
        var stored = Valid(Plugins.Schema, Proxy(OpenAi));
        var patched = Valid(Plugins.Schema, """{"config":{"model":{"options":{"temperature":0.2}}}}""", WriteMode.Update, stored);
        Assert.Equal("openai", patched["config"]!["model"]!["provider"]!.GetValue<string>());
        Assert.Equal("2023-05-15", patched["config"]!["model"]!["options"]!["azure_api_version"]!.GetValue<string>());

        HasError(Invalid(Plugins.Schema, """{"config":{"model":{"provider":"anthropic"}}}""", WriteMode.Update, stored), "config",
            "must set 'model.options.anthropic_version' for anthropic provider");
    }
}
