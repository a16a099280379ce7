using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Functions.Tests.Audit;

/// <summary>
/// A SIEM's webhook endpoint on a real Kestrel: it keeps every request's headers and gunzipped body,
/// answers <see cref="Status"/>, and can be stopped and started again on the same port.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication? _app;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/audit");

    /// <summary>What the receiver answers while it is up.</summary>
    public int Status { get; set; } = 200;

    public ConcurrentQueue<ReceivedBatch> Received { get; } = new();

    /// <summary>Every request, answered 2xx or not.</summary>
    public int Attempts => _attempts;

    private int _attempts;

    public static WebhookReceiver Down(int port) => new(port);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Endpoint.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/audit", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref _attempts);
            var status = Status;
            Stream body = request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
            using var reader = new StreamReader(body);
            var text = await reader.ReadToEndAsync();
            if (status is >= 200 and < 300)
            {
                Received.Enqueue(new ReceivedBatch(
                    request.Headers.Authorization.ToString(), request.Headers.ContentEncoding.ToString(), request.ContentType ?? "", text));
            }
            return Results.StatusCode(status);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Assert.EndsWith($":{Port}", address);
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}

internal sealed record ReceivedBatch(string Authorization, string ContentEncoding, string ContentType, string Body);
