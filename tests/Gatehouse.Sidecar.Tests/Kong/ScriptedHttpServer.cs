using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Sidecar.Tests.Kong;

/// <summary>
/// An HTTP server on a free loopback port that answers every request as the test scripts it: for
/// what Kong never says but a proxy, a half-started node or something else on its port might.
/// </summary>
internal sealed class ScriptedHttpServer(RequestDelegate answer) : IAsyncDisposable
{
    private readonly RequestDelegate _answer = answer;
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<ScriptedHttpServer> StartAsync(RequestDelegate answer, CancellationToken cancellationToken)
    {
        var server = new ScriptedHttpServer(answer);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(server._answer);
        await app.StartAsync(cancellationToken);
        server._app = app;
        server.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
