using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// ai-prompt-decorator (kong/plugins/ai-prompt-decorator/schema.lua:1-58 at 3.9.3): up to 15
/// messages to prepend and to append (3-33), each a role (default "system") and 1 to 500 bytes
/// of content; at least one of the two lists (55-57).
/// </summary>
public static class AiPromptDecorator
{
    /// <summary>prompt_record (3-10). Its <c>required = false</c> does not reach elements: Kong requires every element (si:838-839).</summary>
    private static Field Message { get; } = Record("message",
        Text("role", "system", required: true).With(OneOf("system", "assistant", "user")),
        Text("content", required: true).With(LengthMin(1), LengthMax(500)));

    private static Field Messages(string name) => new Field(name, FieldType.Array) { Elements = Message }.With(LengthMax(15));

    public static PluginSchema Schema { get; } = new("ai-prompt-decorator", Config(
        Record("prompts", Messages("prepend"), Messages("append")) with { Optional = true },
        AiPluginFields.MaxRequestBodySize,
        AiPluginFields.LlmFormat))
    {
        Protocols = HttpOnly,
        Checks = [AtLeastOneOf("config.prompts.prepend", "config.prompts.append")],
    };
}
