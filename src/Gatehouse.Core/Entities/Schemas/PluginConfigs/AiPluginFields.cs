using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// Fields and checks the AI plugin schemas each write out the same way (kong/plugins/ai-*/schema.lua
/// at 3.9.3): the body size they read, the request format, and the transformers' prompt, upstream
/// call and forward proxy (ai-request-transformer/schema.lua:14-54, 59-75; ai-response-transformer/schema.lua:13-61, 65-81).
/// </summary>
public static class AiPluginFields
{
    /// <summary>max_request_body_size: integer, 8 * 1024, gt 0.</summary>
    public static Field MaxRequestBodySize => Integer("max_request_body_size", 8 * 1024).With(GreaterThan(0));

    /// <summary>llm_format: the request and response format the client speaks.</summary>
    public static Field LlmFormat => Text("llm_format", "openai").With(OneOf("openai", "bedrock", "gemini"));

    public static Field Prompt => Text("prompt", required: true);

    public static Field TransformationExtractPattern => Text("transformation_extract_pattern");

    public static Field HttpTimeout => Integer("http_timeout", 60000, required: true);

    public static Field HttpsVerify => Bool("https_verify", true);

    /// <summary>"from forward-proxy": typedefs.host and typedefs.port, each pair set together.</summary>
    public static IReadOnlyList<Field> ForwardProxy { get; } =
    [
        Typedefs.Host("http_proxy_host"),
        Typedefs.Port("http_proxy_port"),
        Typedefs.Host("https_proxy_host"),
        Typedefs.Port("https_proxy_port"),
    ];

    /// <summary>
    /// The transformers' entity checks. Kong's if_match <c>not_one_of = { "llm/v1/chat" }</c>
    /// inherits route_type's own one_of (si:738-741), so only the other valid route types fail:
    /// a missing or unknown one is left to route_type's own error.
    /// </summary>
    public static IReadOnlyList<EntityCheck> TransformerChecks { get; } =
    [
        Conditional("config.llm.route_type", Is([.. LlmRecords.RouteTypes.Except(["llm/v1/chat"])]), "config.llm.route_type", MustBe("llm/v1/chat"),
            "'config.llm.route_type' must be 'llm/v1/chat' for AI transformer plugins"),
        MutuallyRequired("config.http_proxy_host", "config.http_proxy_port"),
        MutuallyRequired("config.https_proxy_host", "config.https_proxy_port"),
    ];
}
