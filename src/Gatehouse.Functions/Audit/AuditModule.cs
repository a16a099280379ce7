using Gatehouse.Azure.Audit;
using Gatehouse.Azure.Entities;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Audit;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Audit;

/// <summary>How requests are audited, read from <c>Gatehouse:Audit:*</c> at start.</summary>
/// <param name="Redaction">What keeps tokens out of entries.</param>
/// <param name="Client">Where the request comes from (<c>src</c>).</param>
/// <param name="CrashAfter">Resilience testing only: see <see cref="AuditCrashInjection"/>.</param>
internal sealed record AuditOptions(AuditRedaction Redaction, ClientAddress Client, string? CrashAfter);

/// <summary>The audit log: its store, the middleware that records requests, the sweeper and its timer.</summary>
internal static class AuditModule
{
    public static IServiceCollection AddGatehouseAudit(this IServiceCollection services, IConfiguration configuration)
    {
        var retentionDays = configuration.GetValue("Gatehouse:Audit:RetentionDays", AuditSettings.DefaultRetentionDays);
        if (retentionDays < 1)
        {
            throw new InvalidOperationException($"Gatehouse__Audit__RetentionDays must be at least 1 (it is {retentionDays}).");
        }
        var interruptedAfter = configuration.GetValue("Gatehouse:Audit:InterruptedAfterSeconds", (int)AuditSettings.DefaultInterruptedAfter.TotalSeconds);
        services.AddSingleton(new AuditSettings(retentionDays, TimeSpan.FromSeconds(Math.Max(1, interruptedAfter))));
        var client = new ClientAddress(
            configuration.GetValue("Gatehouse:Audit:TrustForwardedFor", Environment.GetEnvironmentVariable(GatehouseApp.CustomHandlerPortVariable) is { Length: > 0 }));
        services.AddSingleton(client);
        services.AddSingleton(new AuditOptions(new AuditRedaction(configuration["Gatehouse:AdminToken"]), client, configuration["Gatehouse:Audit:CrashAfter"]));
        services.AddSingleton<IAuditLog>(sp => new TableAuditLog(sp.GetRequiredService<StorageAccount>().Tables, sp.GetRequiredService<StorageLayout>()));
        services.AddSingleton<IChangeAuditOutbox>(sp => sp.GetRequiredService<TableEntityStore>());
        services.AddSingleton<AuditRecordsInFlight>();
        services.AddSingleton<KeptEntryRemoval>();
        services.AddSingleton<AuditSweeper>();
        // On Azure the Functions host's Sweep timer runs the audit sweep too (FunctionEndpoints).
        if (configuration.GetValue("Gatehouse:Recompose:Local", true))
        {
            services.AddHostedService<AuditSweepTimer>();
        }
        return services;
    }
}
