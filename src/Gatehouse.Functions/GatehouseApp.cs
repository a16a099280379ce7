using System.Globalization;
using Gatehouse.Azure.Composition;
using Gatehouse.Azure.ControlPlanes;
using Gatehouse.Azure.DataPlanes;
using Gatehouse.Azure.Entities;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Composition;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Import;
using Gatehouse.Functions.Composition;
using Gatehouse.Functions.ControlPlanes;
using Gatehouse.Functions.DataPlanes;
using Gatehouse.Functions.DataPlanes.Push;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Entities;
using Gatehouse.Functions.Health;
using Gatehouse.Functions.Hosting;
using Gatehouse.Functions.Http;
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

        // Resolved now, not on first request, so a misconfigured app fails at start with the reason.
        var storage = StorageConfiguration.Create(builder.Configuration);
        var layout = new StorageLayout(builder.Configuration["Gatehouse:Storage:Prefix"] ?? "");
        var issuer = CertificateIssuerConfiguration.Read(builder.Configuration);
        var push = PushConfiguration.Read(builder.Configuration);
        builder.Services.AddSingleton(storage);
        builder.Services.AddSingleton(layout);
        builder.Services.AddSingleton(new AdminToken(builder.Configuration["Gatehouse:AdminToken"] ?? ""));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");

        builder.Services.AddSingleton(sp => new TableControlPlaneStore(storage.Tables, layout, sp.GetRequiredService<IDpCertificateStore>()));
        builder.Services.AddSingleton<IControlPlaneStore>(sp => sp.GetRequiredService<TableControlPlaneStore>());
        builder.Services.AddSingleton<IGroupMembershipStore>(sp => new TableGroupMembershipStore(storage.Tables, layout));
        builder.Services.AddSingleton<ControlPlaneGroups>();
        builder.Services.AddSingleton<ControlPlaneService>();
        builder.Services.AddSingleton<EntityProcessor>();
        builder.Services.AddSingleton(sp => new TableEntityStore(storage.Tables, layout));
        builder.Services.AddSingleton<IEntityStore>(sp => sp.GetRequiredService<TableEntityStore>());
        builder.Services.AddSingleton<IEntityReader>(sp => sp.GetRequiredService<TableEntityStore>());
        builder.Services.AddSingleton(sp => new AzureSnapshotStore(storage, layout));
        builder.Services.AddSingleton<ISnapshotStore>(sp => sp.GetRequiredService<AzureSnapshotStore>());
        builder.Services.AddSingleton(sp => new QueueRecomposeQueue(storage, layout));
        builder.Services.AddSingleton<PollerWakeup>();
        builder.Services.AddSingleton<IRecomposeQueue, LoggingRecomposeQueue>();
        builder.Services.AddSingleton<IRecomposeObserver, CrashInjection>();
        push.AddServices(builder.Services);
        builder.Services.AddSingleton<Recomposer>();
        builder.Services.AddSingleton<Sweeper>();
        builder.Services.AddSingleton<IImportJournal>(sp => new BlobImportJournal(storage, layout));
        builder.Services.AddSingleton<ImportPlanner>();
        builder.Services.AddSingleton(new ImportSettings(TimeSpan.FromSeconds(builder.Configuration.GetValue("Gatehouse:Import:StallSeconds", 30))));
        builder.Services.AddSingleton<ConfigImporter>();
        builder.Services.AddSingleton<RecomposeHandler>();
        builder.Services.AddSingleton<PoisonedMessages>();
        builder.Services.AddSingleton<RecomposeDelivery>();
        builder.Services.AddSingleton<SnapshotReader>();
        // On Azure the Functions host delivers queue messages and runs the sweep timer
        // (Gatehouse__Recompose__Local=false): it invokes the endpoints of MapFunctions instead.
        if (builder.Configuration.GetValue("Gatehouse:Recompose:Local", true))
        {
            builder.Services.AddHostedService<RecomposePoller>();
            builder.Services.AddHostedService<SweepTimer>();
        }
        builder.Services.AddSingleton<EntityService>();
        builder.Services.AddSingleton<IDpCertificateStore>(sp => new RecentPins(new TableDpCertificateStore(storage.Tables, layout), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(issuer.Options);
        builder.Services.AddSingleton(issuer.Issuer);
        builder.Services.AddSingleton<DpCertificateService>();
        builder.Services.AddSingleton(DataPlaneSettings.Read(builder.Configuration));
        builder.Services.AddSingleton<INodeStore>(sp => new TableNodeStore(storage.Tables, layout));
        builder.Services.AddSingleton<IEncodedSnapshotStore>(sp => new BlobEncodedSnapshotStore(storage, layout));
        builder.Services.AddSingleton<SnapshotEncodings>();
        builder.Services.AddSingleton<RecentPointers>();
        builder.Services.AddSingleton<DataPlanePointers>();
        builder.Services.AddSingleton<SnapshotPlugins>();
        builder.Services.AddSingleton<NodeService>();
        builder.Services.AddSingleton<ConsumerGroupMemberships>();
        builder.Services.AddSingleton<StorageReadiness>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageReadiness>());

        var app = builder.Build();
        app.Logger.LogInformation(
            "Gatehouse storage: tables {TableEndpoint}, blobs {BlobEndpoint}, queues {QueueEndpoint}",
            storage.Tables.Uri, storage.Blobs.Uri, storage.Queues.Uri);
        app.Logger.LogInformation("DP client certificates are minted by {CertificateIssuer}", issuer.Description);
        app.Logger.LogInformation("Data planes are pushed to through {PushHub}", push.Description);

        // The Functions host probes GET / for readiness; anything that answers will do.
        app.MapGet("/", () => Results.Ok(new { name = "gatehouse" })).ExcludeFromDescription();
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

        app.UseWhen(context => context.Request.Path.StartsWithSegments("/v2"), management => management
            .UseMiddleware<ApiErrorMiddleware>()
            .UseMiddleware<AdminTokenMiddleware>()
            .UseMiddleware<StorageReadinessMiddleware>());
        // Data planes authenticate with their client certificate, never the admin token.
        // The push hub is under /v1/dp too, but its listeners carry the access token negotiate gave them.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(DataPlaneEndpoints.Prefix)
            && !context.Request.Path.StartsWithSegments(LocalDataPlaneHub.Path), dataPlane => dataPlane
            .UseMiddleware<ApiErrorMiddleware>()
            .UseMiddleware<StorageReadinessMiddleware>()
            .UseMiddleware<DataPlaneAuthenticationMiddleware>());
        app.MapControlPlanes();
        app.MapGroups();
        app.MapCoreEntities();
        app.MapSnapshots();
        app.MapDeclarativeImport();
        app.MapDpCertificates();
        app.MapNodes();
        app.MapDataPlaneApi();
        push.MapHub(app);
        app.MapFunctions();
        return app;
    }
}
