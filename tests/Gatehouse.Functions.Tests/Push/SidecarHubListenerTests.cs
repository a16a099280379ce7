using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Channels;
using Gatehouse.Functions.Tests.DataPlanes;
using Gatehouse.Sidecar.Hub;
using Gatehouse.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Functions.Tests.Push;

/// <summary>
/// The sidecar's own hub client against the app's real hub, reached the way a sidecar reaches it:
/// a pinned certificate, <c>POST /v1/dp/negotiate</c> over mTLS, then the WebSocket through the
/// same handler.
/// </summary>
public sealed class SidecarHubListenerTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_write_reaches_the_listener_of_its_control_plane_with_the_hash_the_data_plane_api_then_serves_and_no_other()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var a = await kit.CreateControlPlaneAsync("sidecar-pushed");
        var b = await kit.CreateControlPlaneAsync("sidecar-bystander");
        await using var listenerA = await SidecarRun.StartAsync(kit, a);
        await using var listenerB = await SidecarRun.StartAsync(kit, b);
        Assert.Equal("connected", await listenerA.NextAsync());
        Assert.Equal("connected", await listenerB.NextAsync());
        Assert.True(listenerA.Listener.IsConnected);

        await kit.PostEntityAsync(a, "/services", """{"name":"orders","host":"orders.internal"}""");

        // Earlier snapshots (the empty one composed at creation) may be announced first.
        while (true)
        {
            var update = Assert.IsType<ConfigUpdated>(await listenerA.NextUpdateAsync());
            Assert.Equal(a, update.ControlPlaneId);
            using var response = await listenerA.DataPlane.GetAsync($"/v1/dp/config?node_id={listenerA.Node}", Ct);
            var config = await response.ExpectAsync(HttpStatusCode.OK);
            if (config.TryGetProperty("services", out var services) && services.EnumerateArray().Any(s => s.GetProperty("name").GetString() == "orders"))
            {
                Assert.Equal($"\"{update.ConfigHash}\"", response.Headers.ETag?.Tag);
                break;
            }
        }

        // B heard nothing of A's: anything it hears is its own.
        while (await listenerB.NextOrNullAsync(TimeSpan.FromSeconds(1.5)) is { } heard)
        {
            Assert.Equal(b, Assert.IsType<ConfigUpdated>(heard).ControlPlaneId);
        }
        Assert.Equal(1, listenerA.Negotiations);
    }

    [Fact]
    public async Task When_the_hub_drops_its_connections_the_listener_negotiates_again_reconnects_and_says_so()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("sidecar-reconnecting");
        await using var listener = await SidecarRun.StartAsync(kit, cp);
        Assert.Equal("connected", await listener.NextAsync());

        // The stopping app closes every hub connection (SignalR's connection manager does on
        // ApplicationStopping); Kestrel keeps serving, since the test host was only started.
        kit.App.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Equal("connected", await listener.NextAsync());
        Assert.Equal(2, listener.Negotiations);
        Assert.True(listener.Listener.IsConnected);
    }

    /// <summary>A sidecar's hub listener: its certificate, its node id, and what the listener reported.</summary>
    private sealed class SidecarRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        private readonly SocketsHttpHandler _handler;
        private readonly Channel<object> _events = Channel.CreateUnbounded<object>();
        private readonly Task _run;
        private int _negotiations;

        private SidecarRun(Uri dataPlaneAddress, X509Certificate2 certificate)
        {
            // As DataPlaneKit's clients: the certificate in the TLS handshake, the app's self-signed server certificate accepted.
            _handler = new SocketsHttpHandler
            {
                SslOptions =
                {
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                },
            };
            DataPlane = new HttpClient(_handler, disposeHandler: false) { BaseAddress = dataPlaneAddress, Timeout = TimeSpan.FromSeconds(30) };
            Listener = new HubListener(new HubListenerOptions
            {
                MinReconnectDelay = TimeSpan.FromMilliseconds(50),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            }, _handler, NullLogger.Instance);
            _run = Listener.RunAsync(NegotiateAsync, _ =>
            {
                _events.Writer.TryWrite("connected");
                return Task.CompletedTask;
            }, (update, _) =>
            {
                _events.Writer.TryWrite(update);
                return Task.CompletedTask;
            }, _stop.Token);
        }

        public HubListener Listener { get; }

        public HttpClient DataPlane { get; }

        public Guid Node { get; } = Guid.NewGuid();

        public int Negotiations => Volatile.Read(ref _negotiations);

        public static async Task<SidecarRun> StartAsync(DataPlaneKit kit, Guid controlPlane)
        {
            var (certificate, _) = await kit.PinAsync(controlPlane);
            return new SidecarRun(kit.App.DataPlaneAddress!, certificate);
        }

        public async Task<object> NextAsync()
        {
            var next = await NextOrNullAsync(TimeSpan.FromSeconds(20));
            Assert.True(next is not null, "the listener reported nothing in time");
            return next;
        }

        public async Task<ConfigUpdated?> NextUpdateAsync() => await NextAsync() as ConfigUpdated;

        public async Task<object?> NextOrNullAsync(TimeSpan timeout)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            cancel.CancelAfter(timeout);
            try
            {
                return await _events.Reader.ReadAsync(cancel.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                return null;
            }
        }

        private async Task<HubEndpoint> NegotiateAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _negotiations);
            using var response = await DataPlane.PostAsync($"/v1/dp/negotiate?node_id={Node}", null, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return new HubEndpoint(new Uri(body.RootElement.GetProperty("url").GetString()!), body.RootElement.GetProperty("accessToken").GetString()!);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(Listener.IsConnected);
            DataPlane.Dispose();
            _handler.Dispose();
            _stop.Dispose();
        }
    }
}
