using System.Globalization;
using Gatehouse.Azure.Storage;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Access.EntraId;
using Gatehouse.Functions.Analytics;
using Gatehouse.Functions.Audit;
using Gatehouse.Functions.Audit.Delivery;
using Gatehouse.Functions.Composition;
using Gatehouse.Functions.ControlPlanes;
using Gatehouse.Functions.DataPlanes;
using Gatehouse.Functions.DataPlanes.Push;
using Gatehouse.Functions.DataPlanes.QuickStart;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Entities;
using Gatehouse.Functions.Health;
using Gatehouse.Functions.Hosting;
using Gatehouse.Functions.Http;
using Gatehouse.Functions.Rollouts;
using Gatehouse.Functions.WebConsole;
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
        DataPlaneHttps.Configure(builder);

        // Each module reads and checks its settings as it is added, so a misconfigured app fails
        // here, at start, with the reason. Hosting goes last: its hosted services start after the rest.
        builder.Services
            .AddGatehouseStorage(builder.Configuration)
            .AddGatehouseDataPlaneApi(builder.Configuration)
            .AddGatehousePush(builder.Configuration)
            .AddGatehouseAccess(builder.Configuration)
            .AddGatehouseCrossOrigin(builder.Configuration)
            .AddGatehouseEntities()
            .AddGatehouseComposition(builder.Configuration)
            .AddGatehouseAnalytics(builder.Configuration)
            .AddGatehouseAudit(builder.Configuration)
            .AddGatehouseAuditDelivery(builder.Configuration)
            .AddGatehouseHosting(builder.Configuration);

        var app = builder.Build();
        var storage = app.Services.GetRequiredService<StorageAccount>();
        var push = app.Services.GetRequiredService<PushConfiguration>();
        app.Logger.LogInformation(
            "Gatehouse storage: tables {TableEndpoint}, blobs {BlobEndpoint}, queues {QueueEndpoint}",
            storage.Tables.Uri, storage.Blobs.Uri, storage.Queues.Uri);
        app.Logger.LogInformation("DP client certificates are minted by {CertificateIssuer}", app.Services.GetRequiredService<CertificateIssuerConfiguration>().Description);
        app.Logger.LogInformation("Data planes are pushed to through {PushHub}", push.Description);
        app.Logger.LogInformation("Sign-in with Entra ID: {EntraId}", app.Services.GetRequiredService<EntraIdSetting>().Description);

        // The web console at / (and its client routes); the Functions host probes GET / for readiness,
        // which it answers with or without a built console.
        app.MapWebConsole();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .WithOpenApiSecurity(OpenApiSecurity.None)
            .WithTags("Health")
            .WithSummary("Storage reachability: 200 when Table, Blob and Queue storage answer, 503 otherwise.")
            .Responds(200, "Healthy")
            .Responds(503, "Storage unreachable; the body names each service and why");

        // The API's own description, made from the endpoints, and an explorer for it at /docs.
        app.MapOpenApiDocument();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(GatehouseOpenApi.DocumentPath, "Gatehouse");
            options.RoutePrefix = "docs";
            options.DocumentTitle = "Gatehouse API";
        });

        // Management: who calls (the admin token or a system account's token), then whether it may,
        // decided from the metadata of the endpoint routing chose (see AccessRequirement). The audit
        // log is outside both, to see their refusals, and its outbox inside, to keep only what may run.
        // Cross-origin browsers first: a preflight is answered here, unauthenticated and unaudited
        // (it carries no token and changes nothing), and answers below carry the allow headers.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/v2") || context.Request.Path.StartsWithSegments("/v3"), management => management
            .UseCors(CrossOriginSettings.PolicyName)
            .UseMiddleware<AuditMiddleware>()
            .UseMiddleware<ApiErrorMiddleware>()
            .UseMiddleware<BearerAuthenticationMiddleware>()
            .UseMiddleware<StorageReadinessMiddleware>()
            .UseMiddleware<AuthorizationMiddleware>()
            .UseMiddleware<AuditOutboxMiddleware>());
        // Data planes authenticate with their client certificate, never the admin token.
        // The push hub is under /v1/dp too, but its listeners carry the access token negotiate gave them.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(DataPlaneEndpoints.Prefix)
            && !context.Request.Path.StartsWithSegments(LocalDataPlaneHub.Path), dataPlane => dataPlane
            .UseMiddleware<ApiErrorMiddleware>()
            .UseMiddleware<StorageReadinessMiddleware>()
            .UseMiddleware<DataPlaneAuthenticationMiddleware>());
        app.MapControlPlanes();
        app.MapControlPlaneSummaries();
        app.MapGroups();
        app.MapCoreEntities();
        app.MapCustomPluginSchemas();
        app.MapSnapshots();
        app.MapDeclarativeImport();
        app.MapConfigVersions();
        app.MapDpCertificates();
        app.MapDpQuickStart();
        app.MapNodes();
        app.MapAnalytics();
        app.MapRollouts();
        app.MapSystemAccounts();
        app.MapAuditLogs();
        app.MapTeams();
        app.MapUsers();
        app.MapTeamGroupMappings();
        app.MapRoles();
        app.MapAuditDelivery();
        app.MapDataPlaneApi();
        push.MapHub(app);
        app.MapFunctions();
        return app;
    }
}
