using Gatehouse.Azure.Audit;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Audit.Delivery;

namespace Gatehouse.Functions.Audit.Delivery;

/// <summary>Webhook delivery of the audit log: its store, signer, deliverer, HTTP clients and local timer.</summary>
internal static class AuditDeliveryModule
{
    public static IServiceCollection AddGatehouseAuditDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new TableAuditDeliveryStore(sp.GetRequiredService<StorageAccount>().Tables, sp.GetRequiredService<StorageLayout>()));
        services.AddSingleton<IAuditDeliveryStore>(sp => sp.GetRequiredService<TableAuditDeliveryStore>());
        services.AddSingleton<IAuditSigningKeyStore>(sp => sp.GetRequiredService<TableAuditDeliveryStore>());
        services.AddSingleton<IAuditFeed>(sp => new TableAuditLog(sp.GetRequiredService<StorageAccount>().Tables, sp.GetRequiredService<StorageLayout>()));
        services.AddSingleton<AuditSigner>();
        services.AddSingleton<AuditWire>();
        services.AddSingleton<AuditDeliverer>();
        services.AddSingleton(new AuditEndpointPolicy(configuration.GetValue("Gatehouse:Audit:AllowHttpEndpoints", false)));
        services.AddSingleton(new AuditDeliverySettings(
            TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Gatehouse:Audit:DeliverySettleSeconds", 5.0))),
            Math.Clamp(configuration.GetValue("Gatehouse:Audit:DeliveryBatchSize", 100), 1, 1000),
            // Konnect's own retry waits: 1 second at first, 30 at most.
            TimeSpan.FromSeconds(configuration.GetValue("Gatehouse:Audit:DeliveryFirstRetrySeconds", 1.0)),
            TimeSpan.FromSeconds(configuration.GetValue("Gatehouse:Audit:DeliveryLongestRetrySeconds", 30.0))));
        // No redirects: the authorization value goes to the endpoint configured, nowhere else.
        services.AddHttpClient(AuditDeliverer.Client, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddHttpClient(AuditDeliverer.InsecureClient, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            });
        // On Azure the Functions host's Sweep timer delivers too (FunctionEndpoints).
        if (configuration.GetValue("Gatehouse:Recompose:Local", true))
        {
            services.AddHostedService<AuditDeliveryTimer>();
        }
        return services;
    }
}
