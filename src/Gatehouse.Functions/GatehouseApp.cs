using System.Globalization;
using Gatehouse.Functions.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Gatehouse.Functions;

/// <summary>Wires the app: configuration, storage, and the endpoints. The same on a laptop and on Azure.</summary>
public static class GatehouseApp
{
    /// <summary>Set by the Azure Functions host when it runs the app as a custom handler.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (Environment.GetEnvironmentVariable(CustomHandlerPortVariable) is { Length: > 0 } port)
        {
            // The host proxies to 127.0.0.1 only; nothing else should reach the handler.
            builder.WebHost.UseUrls($"http://127.0.0.1:{int.Parse(port, CultureInfo.InvariantCulture)}");
        }
        configure?.Invoke(builder);

        // Resolved now, not on first request, so a misconfigured app fails at start with the reason.
        var storage = StorageConfiguration.Create(builder.Configuration);
        builder.Services.AddSingleton(storage);
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");

        var app = builder.Build();
        app.Logger.LogInformation(
            "Gatehouse storage: tables {TableEndpoint}, blobs {BlobEndpoint}, queues {QueueEndpoint}",
            storage.Tables.Uri, storage.Blobs.Uri, storage.Queues.Uri);

        // The Functions host probes GET / for readiness; anything that answers will do.
        app.MapGet("/", () => Results.Ok(new { name = "gatehouse" })).ExcludeFromDescription();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        return app;
    }
}
