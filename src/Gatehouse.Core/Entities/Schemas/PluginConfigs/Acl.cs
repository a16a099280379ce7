using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>acl (kong/plugins/acl/schema.lua:4-28 at 3.9.3): allow or deny, exactly one.</summary>
public static class Acl
{
    public static PluginSchema Schema { get; } = new("acl", Config(
        Strings("allow"),
        Strings("deny"),
        Bool("hide_groups_header", false),
        Bool("always_use_authenticated_groups", false)))
    {
        NoConsumer = true,
        Protocols = HttpOnly,
        Checks = [OnlyOneOf("config.allow", "config.deny"), AtLeastOneOf("config.allow", "config.deny")],
    };
}
