using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities;

namespace Gatehouse.Functions.Entities;

/// <summary>The management API's domain: control planes, their groups, and the Kong entities in them.</summary>
internal static class EntitiesModule
{
    public static IServiceCollection AddGatehouseEntities(this IServiceCollection services)
    {
        services.AddSingleton<ControlPlaneGroups>();
        services.AddSingleton<ControlPlaneService>();
        services.AddSingleton<EntityProcessor>();
        services.AddSingleton<EntityService>();
        services.AddSingleton<ConsumerGroupMemberships>();
        services.AddSingleton<SchemaService>();
        services.AddSingleton<InvalidPlugins>();
        services.AddSingleton<CustomPluginSchemaService>();
        return services;
    }
}
