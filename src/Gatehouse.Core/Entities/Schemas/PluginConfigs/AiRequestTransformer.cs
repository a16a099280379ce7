using static Gatehouse.Core.Entities.Schemas.PluginConfigs.AiPluginFields;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// ai-request-transformer (kong/plugins/ai-request-transformer/schema.lua:1-76 at 3.9.3): a prompt,
/// the upstream call, a forward proxy and the shared llm record as <c>config.llm</c> (14-54);
/// chat route type only, proxy host and port together (59-75). Unlike ai-response-transformer
/// it refuses a consumer (10).
/// </summary>
public static class AiRequestTransformer
{
    public static PluginSchema Schema { get; } = new("ai-request-transformer", Config(
        [
            Prompt,
            TransformationExtractPattern,
            HttpTimeout,
            HttpsVerify,
            MaxRequestBodySize,
            .. ForwardProxy,
            LlmRecords.Nested("llm"),
        ]))
    {
        Protocols = HttpOnly,
        NoConsumer = true,
        Checks = TransformerChecks,
    };
}
