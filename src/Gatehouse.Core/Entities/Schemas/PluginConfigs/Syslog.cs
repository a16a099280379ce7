using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// syslog (kong/plugins/syslog/schema.lua:21-36 at 3.9.3): a severity per kind of response
/// (3-9, 28-31) and the facility (11-19, 33). Any protocol (24).
/// </summary>
public static class Syslog
{
    /// <summary>syslog's severities (schema.lua:7-8), shared with loggly's.</summary>
    public static readonly string[] Severities = ["debug", "info", "notice", "warning", "err", "crit", "alert", "emerg"];

    private static readonly string[] s_facilities =
    [
        "auth", "authpriv", "cron", "daemon", "ftp", "kern", "lpr", "mail", "news", "syslog", "user", "uucp",
        "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    private static Field Severity(string name) => Text(name, "info", required: true).With(OneOf(Severities));

    public static PluginSchema Schema { get; } = new("syslog", Config(
        Severity("log_level"),
        Severity("successful_severity"),
        Severity("client_errors_severity"),
        Severity("server_errors_severity"),
        LuaCode("custom_fields_by_lua"),
        Text("facility", "user", required: true).With(OneOf(s_facilities))));
}
