using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Sidecar.Kong;

/// <summary>
/// The sidecar's side of a DB-less Kong's Admin API (kong/api/routes): who the node is
/// (<c>GET /</c>), which config it runs (<c>GET /status</c>), and loading a new one
/// (<c>POST /config</c>). <c>http.BaseAddress</c> is the Admin API's URL, ending in <c>/</c>.
/// Applying never throws for what Kong answers or for Kong being away, only when cancelled:
/// the caller keeps its last good config and tries again.
/// </summary>
internal sealed class KongAdminClient(HttpClient http)
{
    // check_hash: Kong skips a config it already runs (304) instead of rebuilding its router for nothing.
    // flatten_errors: a refusal names the entities at fault, which is what an operator can act on.
    private const string ConfigPath = "config?check_hash=1&flatten_errors=1";
    private const int MaxReasonChars = 256;
    private const long MaxMetricsBytes = 64L * 1024 * 1024;

    private readonly HttpClient _http = http;

    /// <summary>The md5 hex Kong reports as configuration_hash after loading these bytes as a <c>config</c> string.</summary>
    /// <remarks>
    /// Kong hashes the string it was given (kong/db/declarative/init.lua <c>unserialize</c>), and a Lua
    /// string is the bytes of the UTF-8 text we sent, so this is the md5 of the bytes themselves.
    /// </remarks>
    public static string HashOf(ReadOnlySpan<byte> config) => Convert.ToHexStringLower(MD5.HashData(config));

    public async Task<KongNode> GetNodeAsync(CancellationToken cancellationToken)
    {
        var root = await GetJsonAsync("", cancellationToken);
        if (!Guid.TryParse(StringOf(root["node_id"]), out var nodeId)
            || StringOf(root["hostname"]) is not { } hostname
            || StringOf(root["version"]) is not { } version)
        {
            throw new KongAdminException("Kong's GET / lacks node_id, hostname or version.");
        }
        var plugins = (root["plugins"]?["available_on_server"] as JsonObject ?? [])
            .Select(plugin => new NodePlugin(plugin.Key, StringOf(plugin.Value?["version"])))
            .OrderBy(plugin => plugin.Name, StringComparer.Ordinal)
            .ToList();
        return new KongNode(nodeId, hostname, version, plugins);
    }

    /// <summary>The hash of the config Kong runs; null when Kong does not report one (it is not DB-less).</summary>
    public async Task<string?> GetConfigurationHashAsync(CancellationToken cancellationToken) =>
        StringOf((await GetJsonAsync("status", cancellationToken))["configuration_hash"]);

    /// <summary>
    /// <c>server.connections_accepted</c> of <c>GET /status</c> (kong/api/routes/health.lua, from
    /// nginx's stub_status): it only grows while nginx runs, so a fall means Kong restarted. Null when absent.
    /// </summary>
    public async Task<long?> GetConnectionsAcceptedAsync(CancellationToken cancellationToken) =>
        (await GetJsonAsync("status", cancellationToken))["server"]?["connections_accepted"] is JsonValue value && value.TryGetValue<long>(out var accepted)
            ? accepted
            : null;

    /// <summary>
    /// The Prometheus plugin's <c>GET /metrics</c> (kong/plugins/prometheus/api.lua on the Admin API,
    /// status_api.lua on the Status API) as text; null when Kong has no such route (404: the plugin is not enabled).
    /// </summary>
    public async Task<string?> GetMetricsTextAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync("metrics", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxMetricsBytes)
            {
                throw new KongAdminException($"Kong answered GET /metrics with {(int)response.StatusCode}, or more than {MaxMetricsBytes} bytes");
            }
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            throw new KongAdminException($"Kong's GET /metrics failed: {exception.Message}", exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KongAdminException("Kong's GET /metrics timed out.", exception);
        }
    }

    public async Task<KongApplyResult> ApplyAsync(ReadOnlyMemory<byte> declarativeConfig, CancellationToken cancellationToken)
    {
        using var content = KongConfigContent.For(declarativeConfig);
        if (content is null)
        {
            // Kong would hash a different string than these bytes; nothing to retry, the config is wrong.
            return new KongApplyResult.Rejected("The configuration is not valid UTF-8.", "[]");
        }
        var hash = HashOf(declarativeConfig.Span);

        try
        {
            using var response = await _http.PostAsync(ConfigPath, content, cancellationToken);
            var status = (int)response.StatusCode;
            switch (response.StatusCode)
            {
                case HttpStatusCode.Created or HttpStatusCode.OK:
                    return new KongApplyResult.Applied(hash);
                case HttpStatusCode.NotModified:
                    return new KongApplyResult.Unchanged(hash);
                case HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge:
                    return KongRejection.From(status, await response.Content.ReadAsByteArrayAsync(cancellationToken));
                default:
                    var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    return new KongApplyResult.Unavailable($"Kong answered {status}{MessageOf(answer)}", RetryAfterOf(response));
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return new KongApplyResult.Unavailable(("Kong's Admin API is unreachable: " + exception.Message).Truncate(MaxReasonChars), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new KongApplyResult.Unavailable($"Kong's Admin API did not answer within {_http.Timeout.TotalSeconds:0.#} s.", null);
        }
    }

    private async Task<JsonObject> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(path, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new KongAdminException($"Kong answered GET /{path} with {(int)response.StatusCode}{MessageOf(body)}");
            }
            return JsonNode.Parse(body) as JsonObject ?? throw new KongAdminException($"Kong's GET /{path} is not a JSON object.");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or JsonException)
        {
            throw new KongAdminException($"Kong's GET /{path} failed: {exception.Message}", exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KongAdminException($"Kong's GET /{path} timed out.", exception);
        }
    }

    /// <summary>
    /// Kong sends the seconds left on its loading lock, which may be fractional; .NET's typed header
    /// only reads whole seconds, so the raw value is read first.
    /// </summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Retry-After", out var values) || values.FirstOrDefault() is not { } value)
        {
            return null;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, TimeSpan.FromDays(1).TotalSeconds));
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? TimeSpan.FromTicks(Math.Max(0, (date - DateTimeOffset.UtcNow).Ticks))
            : null;
    }

    private static string MessageOf(byte[] body)
    {
        try
        {
            return StringOf((JsonNode.Parse(body) as JsonObject)?["message"]) is { } message ? ": " + message.Truncate(MaxReasonChars) : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
