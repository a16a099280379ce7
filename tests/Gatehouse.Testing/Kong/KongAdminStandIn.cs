using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Testing.Kong;

/// <summary>
/// The Admin API of one DB-less Kong node, for tests: Kong cannot run here, so this answers
/// <c>GET /</c>, <c>GET /status</c>, <c>GET|POST /config</c> and the Prometheus plugin's <c>GET /metrics</c> with Kong's status codes and bodies
/// (see kong/api/routes/config.lua, kong.lua, health.lua, kong/db/errors.lua and kong/plugins/prometheus/api.lua), on a loopback port
/// the OS picks. Declarative configs are checked against decK's JSON schema, Kong's
/// <c>_format_version</c> rule and the node's plugin set. Logs nothing.
/// </summary>
public sealed class KongAdminStandIn : IAsyncDisposable
{
    public const string EmptyConfigHash = KongConfigState.EmptyHash;

    // Kong's cjson leaves quotes and non-ASCII as they are; so does the stand-in, so bodies read as Kong's.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly KongConfigState _state = new();
    private WebApplication? _app;
    private Uri? _baseAddress;
    private long _requests;
    private volatile bool _busy;

    public KongAdminStandIn(KongNodeOptions? node = null) => Node = node ?? new KongNodeOptions();

    public KongNodeOptions Node { get; }

    /// <summary>The Prometheus plugin's counters, served at <c>GET /metrics</c> (404 unless <see cref="KongTraffic.Enabled"/>).</summary>
    public KongTraffic Traffic { get; } = new();

    /// <summary>The Admin API's URL, <c>http://127.0.0.1:{port}/</c>; set by <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The stand-in has not been started.");

    /// <summary>While true, a valid <c>POST /config</c> gets Kong's 429 with <c>Retry-After: </c><see cref="BusyRetryAfterSeconds"/>.</summary>
    public bool Busy
    {
        get => _busy;
        set => _busy = value;
    }

    public int BusyRetryAfterSeconds { get; set; } = 1;

    /// <summary>The md5 hex Kong reports as <c>configuration_hash</c>: zeros before any config.</summary>
    public string CurrentHash => _state.CurrentHash;

    /// <summary>The config string last loaded (the body itself when it was posted as the document).</summary>
    public string? CurrentConfig => _state.CurrentConfig;

    /// <summary>The hash of every config loaded (201), oldest first.</summary>
    public IReadOnlyList<string> Loads => _state.Loads;

    /// <summary>The last <c>POST /config</c>'s body: its Content-Length (null when sent chunked) and the bytes that came.</summary>
    public (long? Declared, long Received)? LastConfigBody { get; private set; }

    /// <summary>Refuse the next config that would load as invalid (400, Kong's body) with this message.</summary>
    public void RejectNextWith(string message) => _state.RejectNextWith(message);

    /// <summary>Refuse every config that would load until called with false.</summary>
    public void RejectAll(bool reject, string message = "rejected by the Kong stand-in") => _state.RejectAll(reject ? message : null);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The stand-in is already started.");
        }
        // The empty builder reads no configuration and registers no logger, so the stand-in is silent.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _baseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var requests = Interlocked.Increment(ref _requests);
        var request = context.Request;
        var response = (request.Method, request.Path.Value) switch
        {
            ("GET", "/") => KongNodeEndpoints.Root(Node, _state),
            ("GET", "/status") => KongNodeEndpoints.Status(_state, requests),
            ("GET", "/config") => KongConfigEndpoint.Get(_state),
            ("GET", "/metrics") when Traffic.Enabled => new KongResponse(200, Text: Traffic.Exposition(Node.NodeId, requests)),
            ("POST", "/config") => KongConfigEndpoint.Post(
                await ReadConfigBodyAsync(request, context.RequestAborted),
                request.ContentType,
                name => request.Query.TryGetValue(name, out var value) ? value.ToString() : null,
                _state,
                Node,
                () => _busy ? BusyRetryAfterSeconds : null),
            (_, "/" or "/status" or "/config" or "/metrics") when request.Method != "GET" => KongResponse.Message(405, "Method not allowed"),
            _ => KongResponse.Message(404, "Not found"),
        };
        await WriteAsync(context.Response, response, context.RequestAborted);
    }

    private async Task WriteAsync(HttpResponse response, KongResponse answer, CancellationToken cancellationToken)
    {
        response.StatusCode = answer.Status;
        response.Headers.Server = "kong/" + Node.Version;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }
        if (answer.Text is not null)
        {
            // The Prometheus plugin's content type (kong/plugins/prometheus/prometheus.lua).
            response.ContentType = "text/plain; charset=UTF-8";
            await response.WriteAsync(answer.Text, cancellationToken);
        }
        else if (answer.Body is not null)
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(answer.Body.ToJsonString(s_json), cancellationToken);
        }
    }

    private async Task<byte[]> ReadConfigBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        LastConfigBody = (request.ContentLength, buffer.Length);
        return buffer.ToArray();
    }
}
