using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>redirect (kong/plugins/redirect/schema.lua:3-39 at 3.9.3).</summary>
public static class Redirect
{
    public static PluginSchema Schema { get; } = new("redirect", Config(
        Integer("status_code", 301, required: true).With(Validators.Between(100, 599)),
        Url("location", required: true),
        Bool("keep_incoming_path", false, required: false)))
    {
        Protocols = HttpOnly,
    };
}
