namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>How data planes are told a new snapshot is there: Azure SignalR Service or the in-process hub.</summary>
internal static class PushModule
{
    public static IServiceCollection AddGatehousePush(this IServiceCollection services, IConfiguration configuration)
    {
        var push = PushConfiguration.Read(configuration);
        services.AddSingleton(push);
        push.AddServices(services);
        return services;
    }
}
