using System.Net;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Azure.Tests;

/// <summary>
/// The host of a fake Azure service: a Kestrel app on a free loopback port with HTTPS (Azure.Core
/// sends bearer tokens over HTTPS only), and client options that trust its certificate.
/// </summary>
internal sealed class LoopbackHttpsService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHttpsService(WebApplication app, X509Certificate2 tls, Uri uri)
    {
        _app = app;
        TlsCertificate = tls;
        Uri = uri;
    }

    public X509Certificate2 TlsCertificate { get; }

    /// <summary>The service's base URI, with a trailing slash.</summary>
    public Uri Uri { get; }

    /// <summary>Starts the app with the routes <paramref name="map"/> adds.</summary>
    public static async Task<LoopbackHttpsService> StartAsync(Action<WebApplication> map)
    {
        var tls = TestCertificates.LoopbackTls();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(tls)));
        var app = builder.Build();
        map(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LoopbackHttpsService(app, tls, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Client options that trust this service's TLS certificate, retrying <paramref name="retries"/> times after short delays.</summary>
    public TOptions Trusting<TOptions>(TOptions options, int retries)
        where TOptions : ClientOptions
    {
        options.Transport = new HttpClientTransport(new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == TlsCertificate.Thumbprint,
        }));
        options.Retry.MaxRetries = retries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        TlsCertificate.Dispose();
    }
}
