using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>correlation-id (kong/plugins/correlation-id/schema.lua:4-19 at 3.9.3).</summary>
public static class CorrelationId
{
    public static PluginSchema Schema { get; } = new("correlation-id", Config(
        Text("header_name", "Kong-Request-ID"),
        Text("generator", "uuid#counter", required: true).With(OneOf("uuid", "uuid#counter", "tracker")),
        Bool("echo_downstream", false)))
    {
        Protocols = HttpOnly,
    };
}
