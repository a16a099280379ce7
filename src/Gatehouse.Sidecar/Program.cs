using Gatehouse.Sidecar;
using Gatehouse.Sidecar.ControlPlane;
using Gatehouse.Sidecar.Hub;
using Gatehouse.Sidecar.Kong;
using Gatehouse.Sidecar.Metrics;

if (args is ["--help" or "-h"])
{
    Console.Out.Write(SidecarOptions.Usage());
    return 0;
}
SidecarOptions options;
System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
System.Security.Cryptography.X509Certificates.X509Certificate2Collection? trust;
try
{
    options = SidecarOptions.Parse(args, Environment.GetEnvironmentVariable);
    certificate = DataPlaneHandler.LoadClientCertificate(options.CertificateFile, options.KeyFile);
    trust = options.ServerCaFile is { } ca ? DataPlaneHandler.LoadTrust(ca) : null;
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
{
    Console.Error.WriteLine($"gatehouse-sidecar: {e.Message}");
    Console.Error.Write(SidecarOptions.Usage());
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
    console.UseUtcTimestamp = true;
});
// One pool for everything said to the control plane, the hub's WebSocket included.
var handler = DataPlaneHandler.Create(certificate, trust);
builder.Services.AddSingleton(sp => new SidecarLoop(
    options,
    new ControlPlaneClient(new HttpClient(handler, disposeHandler: false) { BaseAddress = options.ControlPlaneUrl, Timeout = TimeSpan.FromSeconds(100) }),
    new KongAdminClient(new HttpClient { BaseAddress = options.KongAdminUrl, Timeout = TimeSpan.FromSeconds(60) }),
    new ConfigCache(options.CacheDirectory),
    options.Push ? new HubListener(new HubListenerOptions(), handler, sp.GetRequiredService<ILogger<HubListener>>()) : null,
    sp.GetRequiredService<ILogger<SidecarLoop>>(),
    options.Metrics
        ? new TrafficReporter(new KongAdminClient(new HttpClient { BaseAddress = options.KongStatusUrl ?? options.KongAdminUrl, Timeout = TimeSpan.FromSeconds(30) }),
            TimeProvider.System, sp.GetRequiredService<ILogger<TrafficReporter>>())
        : null));
builder.Services.AddHostedService<SidecarWorker>();

using var host = builder.Build();
await host.RunAsync();
return 0;
