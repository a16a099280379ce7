using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>udp-log (kong/plugins/udp-log/schema.lua:3-16 at 3.9.3): host and port required (10-11). Any protocol (6).</summary>
public static class UdpLog
{
    public static PluginSchema Schema { get; } = new("udp-log", Config(
        Typedefs.Host("host", required: true),
        Typedefs.Port("port", required: true),
        Number("timeout", 10000),
        LuaCode("custom_fields_by_lua")));
}
