using static Gatehouse.Core.Entities.Schemas.PluginConfigs.AiPluginFields;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// ai-response-transformer (kong/plugins/ai-response-transformer/schema.lua:1-82 at 3.9.3): as
/// ai-request-transformer, plus reading status, headers and body from the LLM's JSON answer
/// (26-34); it has no <c>no_consumer</c>, so a consumer may be set.
/// </summary>
public static class AiResponseTransformer
{
    public static PluginSchema Schema { get; } = new("ai-response-transformer", Config(
        [
            Prompt,
            TransformationExtractPattern,
            Bool("parse_llm_response_json_instructions", false),
            HttpTimeout,
            HttpsVerify,
            MaxRequestBodySize,
            .. ForwardProxy,
            LlmRecords.Nested("llm"),
        ]))
    {
        Protocols = HttpOnly,
        Checks = TransformerChecks,
    };
}
