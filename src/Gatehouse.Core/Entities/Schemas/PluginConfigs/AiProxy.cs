using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// ai-proxy (kong/plugins/ai-proxy/schema.lua:1-65 at 3.9.3): the shared llm record
/// (<see cref="LlmRecords"/>) as the config itself, with its checks, plus ai-proxy's own fields
/// (7-40); a native <c>llm_format</c> needs the chat route type and its own provider (48-64).
/// <c>llm_format</c> is not required, so Kong's if-match passes an explicit null and all three
/// checks apply: a config with <c>"llm_format": null</c> is always refused, as by Kong.
/// </summary>
public static class AiProxy
{
    public static PluginSchema Schema { get; } = new("ai-proxy", Config(
        [
            .. LlmRecords.Fields,
            Text("response_streaming", "allow").With(OneOf("allow", "deny", "always")),
            AiPluginFields.MaxRequestBodySize,
            Bool("model_name_header", true, required: false),
            AiPluginFields.LlmFormat,
        ]) with
    { RecordChecks = LlmRecords.Checks })
    {
        Protocols = HttpOnly,
        Checks =
        [
            Conditional("config.llm_format", NullOr(Is("bedrock", "gemini")), "config.route_type", MustBe("llm/v1/chat"),
                "native provider options in llm_format can only be used with the 'llm/v1/chat' route_type"),
            Conditional("config.llm_format", NullOr(Is("bedrock")), "config.model.provider", MustBe("bedrock"),
                "native llm_format 'bedrock' can only be used with the 'bedrock' model.provider"),
            Conditional("config.llm_format", NullOr(Is("gemini")), "config.model.provider", MustBe("gemini"),
                "native llm_format 'gemini' can only be used with the 'gemini' model.provider"),
        ],
    };
}
