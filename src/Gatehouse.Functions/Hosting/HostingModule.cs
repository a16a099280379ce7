using Gatehouse.Functions.Access;
using Gatehouse.Functions.Composition;
using Gatehouse.Functions.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gatehouse.Functions.Hosting;

/// <summary>
/// What this process runs besides answering requests, and what guards the management API. Added
/// last: hosted services start in the order they were added.
/// </summary>
internal static class HostingModule
{
    public static IServiceCollection AddGatehouseHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new AdminToken(configuration["Gatehouse:AdminToken"] ?? ""));
        // Unless the host brought its own (a test that moves time instead of waiting for it).
        services.TryAddSingleton(TimeProvider.System);
        // On Azure the Functions host delivers queue messages and runs the sweep timer
        // (Gatehouse__Recompose__Local=false): it invokes the endpoints of MapFunctions instead.
        if (configuration.GetValue("Gatehouse:Recompose:Local", true))
        {
            services.AddHostedService<RecomposePoller>();
            services.AddHostedService<SweepTimer>();
        }
        services.AddHostedService(sp => sp.GetRequiredService<StorageReadiness>());
        return services;
    }
}
