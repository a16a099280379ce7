using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>The shared <c>redis</c> record of Kong's Redis-backed plugins (kong/tools/redis/schema.lua:5-35 at 3.9.3).</summary>
public static class Redis
{
    public static Field Config { get; } = Record("redis",
        Typedefs.Host("host"),
        Typedefs.Port("port", @default: 6379),
        Timeout("timeout", 2000),
        Text("username") with { Referenceable = true },
        Text("password") with { Referenceable = true, EmptyAllowed = true },
        Integer("database", 0),
        Bool("ssl", false, required: false),
        Bool("ssl_verify", false, required: false),
        Sni("server_name"));
}
