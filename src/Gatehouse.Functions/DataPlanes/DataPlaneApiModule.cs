using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// What data planes talk to: client certificates (pinned and minted), nodes and their heartbeats,
/// and snapshots in the encodings sidecars ask for. The certificate issuer and the data plane
/// settings are read here, at start, so that a misconfiguration stops the app with the reason.
/// </summary>
internal static class DataPlaneApiModule
{
    public static IServiceCollection AddGatehouseDataPlaneApi(this IServiceCollection services, IConfiguration configuration)
    {
        var issuer = CertificateIssuerConfiguration.Read(configuration);
        services.AddSingleton(issuer);
        services.AddSingleton(issuer.Options);
        services.AddSingleton(issuer.Issuer);
        services.AddSingleton<DpCertificateService>();
        var settings = DataPlaneSettings.Read(configuration);
        services.AddSingleton(settings);
        services.AddSingleton(QuickStart.QuickStartSettings.Read(configuration, settings.KongVersion));
        services.AddSingleton(new NodeJudge(settings.KongVersion, settings.NodeRetention));
        services.AddSingleton<SnapshotEncodings>();
        services.AddSingleton<RecentPointers>();
        services.AddSingleton<DataPlanePointers>();
        services.AddSingleton<SnapshotPlugins>();
        services.AddSingleton<Rollouts.RolloutCrashInjection>();
        services.AddSingleton<Rollouts.RolloutService>();
        services.AddSingleton<NodeService>();
        services.AddSingleton<NodeCounter>();
        services.AddSingleton<ControlPlanes.ControlPlaneSummaries>();
        return services;
    }
}
