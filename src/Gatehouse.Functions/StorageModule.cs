using Gatehouse.Azure.Analytics;
using Gatehouse.Azure.Composition;
using Gatehouse.Azure.ControlPlanes;
using Gatehouse.Azure.DataPlanes;
using Gatehouse.Azure.Entities;
using Gatehouse.Azure.Rollouts;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Analytics;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Import;
using Gatehouse.Core.Rollouts;
using Gatehouse.Core.Versions;
using Gatehouse.Functions.DataPlanes;
using Gatehouse.Functions.Health;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions;

/// <summary>
/// The storage account, its layout, and every store kept in it: the adapters the Core's
/// interfaces resolve to. The account is resolved here, not on first request, so that a
/// misconfigured app fails at start with the reason.
/// </summary>
internal static class StorageModule
{
    public static IServiceCollection AddGatehouseStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = StorageConfiguration.Create(configuration);
        var layout = new StorageLayout(configuration["Gatehouse:Storage:Prefix"] ?? "");
        services.AddSingleton(storage);
        services.AddSingleton(layout);
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        services.AddSingleton<StorageReadiness>();

        services.AddSingleton(sp => new TableControlPlaneStore(storage.Tables, layout, sp.GetRequiredService<IDpCertificateStore>()));
        services.AddSingleton<IControlPlaneStore>(sp => sp.GetRequiredService<TableControlPlaneStore>());
        services.AddSingleton<IGroupMembershipStore>(sp => new TableGroupMembershipStore(storage.Tables, layout));
        services.AddSingleton(sp => new TableEntityStore(storage.Tables, layout));
        services.AddSingleton<IEntityStore>(sp => sp.GetRequiredService<TableEntityStore>());
        services.AddSingleton<IEntityReader>(sp => sp.GetRequiredService<TableEntityStore>());
        services.AddSingleton<IEntityChangeReader>(sp => sp.GetRequiredService<TableEntityStore>());
        services.AddSingleton(sp => new AzureSnapshotStore(storage, layout,
            configuration.GetValue("Gatehouse:Recompose:NewestSnapshotMegabytes", AzureSnapshotStore.DefaultNewestSnapshotBytes / 1048576) * 1048576));
        services.AddSingleton<ISnapshotStore>(sp => sp.GetRequiredService<AzureSnapshotStore>());
        services.AddSingleton<IConfigVersionStore>(sp => new AzureConfigVersionStore(storage, layout));
        services.AddSingleton(sp => new QueueRecomposeQueue(storage, layout));
        services.AddSingleton<IImportJournal>(sp => new BlobImportJournal(storage, layout));
        // Pins are looked up on every data plane request; recent ones are answered from memory.
        services.AddSingleton<IDpCertificateStore>(sp => new RecentPins(new TableDpCertificateStore(storage.Tables, layout), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<INodeStore>(sp => new TableNodeStore(storage.Tables, layout));
        services.AddSingleton<IRolloutStore>(sp => new TableRolloutStore(storage, layout));
        services.AddSingleton<IAnalyticsStore>(sp => new TableAnalyticsStore(storage.Tables, layout));
        services.AddSingleton<IEncodedSnapshotStore>(sp => new BlobEncodedSnapshotStore(storage, layout));
        return services;
    }
}
