using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// tcp-log (kong/plugins/tcp-log/schema.lua:3-20 at 3.9.3): where to send the log (10-11), the
/// socket's timeouts and TLS (12-15), and the Lua-computed fields (16). Any protocol (6).
/// </summary>
public static class TcpLog
{
    public static PluginSchema Schema { get; } = new("tcp-log", Config(
        Typedefs.Host("host", required: true),
        Typedefs.Port("port", required: true),
        Number("timeout", 10000),
        Number("keepalive", 60000),
        Bool("tls", false),
        Text("tls_sni"),
        LuaCode("custom_fields_by_lua")));
}
