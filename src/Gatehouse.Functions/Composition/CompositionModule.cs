using Gatehouse.Core.Composition;
using Gatehouse.Core.Import;
using Gatehouse.Core.Versions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// Turning entities into snapshots: the recompose pipeline (queue, recomposer, sweeper and the
/// handlers the Functions host or the local poller call), declarative import, snapshot reads, and versions
/// with their retention.
/// </summary>
internal static class CompositionModule
{
    public static IServiceCollection AddGatehouseComposition(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PollerWakeup>();
        services.AddSingleton<IRecomposeQueue, LoggingRecomposeQueue>();
        // Unless the host brought its own (a benchmark that waits for pointer moves).
        services.TryAddSingleton<IRecomposeObserver, CrashInjection>();
        // The recomposer reads through the entity cache, which brings each control plane forward from its change log.
        services.AddSingleton(new EntityCacheSettings(
            configuration.GetValue("Gatehouse:Recompose:CacheEntities", 100_000), configuration.GetValue("Gatehouse:Recompose:ChangesPerRead", 256),
            configuration.GetValue("Gatehouse:Recompose:ChangeLogKept", 1000)));
        services.AddSingleton(sp => new CachedEntityReader(
            sp.GetRequiredService<IEntityReader>(), sp.GetRequiredService<IEntityChangeReader>(), sp.GetRequiredService<EntityCacheSettings>()));
        // Each entity's rendered bytes and each control plane's last document, kept as long as the cache above keeps
        // the entities: a snapshot renders only what changed.
        services.AddSingleton<RenderedFragments>();
        // Each group's union and conflict index, kept within the same budget: a member's change costs the group what changed.
        services.AddSingleton<GroupUnions>();
        // Its push goes through the rollout, which tells a new canary to its canaries alone.
        services.AddSingleton<Rollouts.RolloutNotifier>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<Recomposer>(sp,
            (IEntityReader)sp.GetRequiredService<CachedEntityReader>(), (Gatehouse.Core.DataPlanes.Push.IDataPlaneNotifier)sp.GetRequiredService<Rollouts.RolloutNotifier>()));
        services.AddSingleton(VersionSettings.Read(configuration));
        services.AddSingleton<IRolloutSnapshots>(sp => sp.GetRequiredService<Rollouts.RolloutService>());
        services.AddSingleton<VersionRetention>();
        services.AddSingleton<VersionDiff>();
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
