using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>standard-webhooks (kong/plugins/standard-webhooks/schema.lua:5-36 at 3.9.3).</summary>
public static class StandardWebhooks
{
    public static PluginSchema Schema { get; } = new("standard-webhooks", Config(
        Text("secret_v1", required: true) with { Referenceable = true },
        Integer("tolerance_second", 5 * 60, required: true).With(Validators.GreaterThan(-1))))
    {
        NoConsumer = true,
        Protocols = HttpOnly,
    };
}
