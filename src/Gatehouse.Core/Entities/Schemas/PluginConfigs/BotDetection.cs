using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>bot-detection (kong/plugins/bot-detection/schema.lua:3-22 at 3.9.3): user-agent regexes.</summary>
public static class BotDetection
{
    private static Field Patterns(string name) => new(name, FieldType.Array)
    {
        Default = new JsonArray(),
        Elements = new Field("pattern", FieldType.String).With(IsRegex),
    };

    public static PluginSchema Schema { get; } = new("bot-detection", Config(Patterns("allow"), Patterns("deny")))
    {
        NoConsumer = true,
        Protocols = HttpOnly,
    };
}
