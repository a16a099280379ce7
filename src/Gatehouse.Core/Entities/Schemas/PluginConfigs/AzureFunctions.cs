using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>azure-functions (kong/plugins/azure-functions/schema.lua:3-94 at 3.9.3).</summary>
public static class AzureFunctions
{
    public static PluginSchema Schema { get; } = new("azure-functions", Config(
        Number("timeout", 600000),
        Number("keepalive", 60000),
        Bool("https", true, required: false),
        Bool("https_verify", false, required: false),
        Text("apikey") with { Referenceable = true },
        Text("clientid") with { Referenceable = true },
        Text("appname", required: true),
        Text("hostdomain", "azurewebsites.net", required: true),
        Text("routeprefix", "api"),
        Text("functionname", required: true)));
}
