using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// loggly (kong/plugins/loggly/schema.lua:9-34 at 3.9.3): Loggly's syslog endpoint (16-17), the
/// customer token (18, referenceable), tags (19-23) and syslog's severities, here not required
/// (3-7, 24-27). Any protocol (12).
/// </summary>
public static class Loggly
{
    private static Field Severity(string name) => Text(name, "info").With(OneOf(Syslog.Severities));

    public static PluginSchema Schema { get; } = new("loggly", Config(
        Typedefs.Host("host") with { Default = "logs-01.loggly.com" },
        Typedefs.Port("port", @default: 514),
        Text("key", required: true) with { Referenceable = true },
        Strings("tags", FieldType.Set, "kong"),
        Severity("log_level"),
        Severity("successful_severity"),
        Severity("client_errors_severity"),
        Severity("server_errors_severity"),
        Number("timeout", 10000),
        LuaCode("custom_fields_by_lua")));
}
