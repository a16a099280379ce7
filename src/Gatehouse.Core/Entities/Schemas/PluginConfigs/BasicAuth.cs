using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>basic-auth (kong/plugins/basic-auth/schema.lua:4-17 at 3.9.3).</summary>
public static class BasicAuth
{
    public static PluginSchema Schema { get; } = new("basic-auth", Config(
        Text("anonymous"),
        Bool("hide_credentials", false),
        Text("realm", "service", required: true)))
    {
        NoConsumer = true,
        Protocols = HttpOnly,
    };
}
