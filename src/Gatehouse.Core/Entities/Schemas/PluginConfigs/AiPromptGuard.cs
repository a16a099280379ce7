using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// ai-prompt-guard (kong/plugins/ai-prompt-guard/schema.lua:1-64 at 3.9.3): up to 10 allow and 10
/// deny patterns of 1 to 500 bytes (10-29), at least one list (56-58); matching every role needs
/// the conversation history checked (59-62). Kong's schema does not compile the patterns (its
/// filter does, per request), so neither does Gatehouse.
/// </summary>
public static class AiPromptGuard
{
    private static Field Patterns(string name) => new Field(name, FieldType.Array)
    {
        Elements = new Field("pattern", FieldType.String).With(LengthMin(1), LengthMax(500)),
    }.With(LengthMax(10));

    public static PluginSchema Schema { get; } = new("ai-prompt-guard", Config(
        Patterns("allow_patterns"),
        Patterns("deny_patterns"),
        Bool("allow_all_conversation_history", false),
        AiPluginFields.MaxRequestBodySize,
        Bool("match_all_roles", false),
        AiPluginFields.LlmFormat))
    {
        Protocols = HttpOnly,
        Checks =
        [
            AtLeastOneOf("config.allow_patterns", "config.deny_patterns"),
            Conditional("config.match_all_roles", IsTrue, "config.allow_all_conversation_history", MustBe(false)),
        ],
    };
}
