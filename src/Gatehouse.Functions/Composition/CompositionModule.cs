using Gatehouse.Core.Composition;
using Gatehouse.Core.Import;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// Turning entities into snapshots: the recompose pipeline (queue, recomposer, sweeper and the
/// handlers the Functions host or the local poller call), declarative import, and snapshot reads.
/// </summary>
internal static class CompositionModule
{
    public static IServiceCollection AddGatehouseComposition(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PollerWakeup>();
        services.AddSingleton<IRecomposeQueue, LoggingRecomposeQueue>();
        services.AddSingleton<IRecomposeObserver, CrashInjection>();
        services.AddSingleton<Recomposer>();
        services.AddSingleton<Sweeper>();
        services.AddSingleton<RecomposeHandler>();
        services.AddSingleton<PoisonedMessages>();
        services.AddSingleton<RecomposeDelivery>();
        services.AddSingleton<SnapshotReader>();

        services.AddSingleton<ImportPlanner>();
        services.AddSingleton(new ImportSettings(TimeSpan.FromSeconds(configuration.GetValue("Gatehouse:Import:StallSeconds", 30))));
        services.AddSingleton<ConfigImporter>();
        return services;
    }
}
