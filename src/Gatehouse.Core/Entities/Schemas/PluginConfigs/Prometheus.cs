using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// prometheus (kong/plugins/prometheus/schema.lua:12-29 at 3.9.3). Its custom validator (3-9)
/// checks that the node has the <c>prometheus_metrics</c> shared dict, a fact of the Kong node,
/// not of the config, so Gatehouse has nothing to check there.
/// </summary>
public static class Prometheus
{
    public static PluginSchema Schema { get; } = new("prometheus", Config(
        Bool("per_consumer", false, required: false),
        Bool("status_code_metrics", false, required: false),
        Bool("ai_metrics", false, required: false),
        Bool("latency_metrics", false, required: false),
        Bool("bandwidth_metrics", false, required: false),
        Bool("upstream_health_metrics", false, required: false)));
}
