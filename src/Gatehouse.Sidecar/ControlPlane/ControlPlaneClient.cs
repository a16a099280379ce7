using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Sidecar.Hub;

namespace Gatehouse.Sidecar.ControlPlane;

/// <summary>
/// Gatehouse's data plane API as a node calls it (<c>/v1/dp/*</c>, see the README): the client
/// certificate on the handler authenticates every call. Answers the control plane gives are
/// results, not exceptions, so the loop can decide; only cancellation throws.
/// </summary>
internal sealed class ControlPlaneClient(HttpClient http)
{
    /// <summary>Bodies bigger than this are not a snapshot Gatehouse made (its limit on imports is 25 MiB of YAML).</summary>
    public const long MaxConfigBytes = 256L * 1024 * 1024;

    /// <summary>
    /// The config, unless the node runs <paramref name="currentHash"/> already. <paramref name="factsHash"/>
    /// (<see cref="Core.DataPlanes.NodeFacts"/> of what the heartbeats send) lets the control plane judge
    /// the node's compatibility without reading it.
    /// </summary>
    public async Task<ConfigFetch> FetchConfigAsync(Guid nodeId, string factsHash, string? currentHash, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/dp/config?node_id={nodeId}&node_facts_hash={factsHash}");
        if (currentHash is { Length: > 0 })
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{currentHash}\""));
        }
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotModified:
                    return new ConfigFetch.NotModified();
                case HttpStatusCode.OK:
                    if (response.Headers.ETag?.Tag is not { Length: > 2 } tag || response.Content.Headers.ContentLength > MaxConfigBytes)
                    {
                        return new ConfigFetch.Unavailable("the answer had no ETag, or was larger than any snapshot");
                    }
                    var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    return new ConfigFetch.Modified(content, tag.Trim('"'));
                case HttpStatusCode.Conflict:
                    return new ConfigFetch.Withheld(await MessageAsync(response, cancellationToken).ConfigureAwait(false));
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    return new ConfigFetch.Refused((int)response.StatusCode, await MessageAsync(response, cancellationToken).ConfigureAwait(false));
                default:
                    return new ConfigFetch.Unavailable($"{(int)response.StatusCode}: {await MessageAsync(response, cancellationToken).ConfigureAwait(false)}");
            }
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            return new ConfigFetch.Unavailable(e.Message);
        }
    }

    /// <summary>Reports the node; null when it was taken, else why not (it is sent again at the next beat).</summary>
    public async Task<HeartbeatRefusal?> HeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsync("v1/dp/heartbeat",
                new ByteArrayContent(heartbeat.ToJson()) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : new HeartbeatRefusal((int)response.StatusCode, await MessageAsync(response, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            return new HeartbeatRefusal(null, e.Message);
        }
    }

    /// <summary>Where to listen for pushes. Throws <see cref="HttpRequestException"/> when there is no answer to use; the hub listener retries.</summary>
    public async Task<HubEndpoint> NegotiateAsync(Guid nodeId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"v1/dp/negotiate?node_id={nodeId}", null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"negotiate answered {(int)response.StatusCode}: {await MessageAsync(response, cancellationToken).ConfigureAwait(false)}",
                null, response.StatusCode);
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        if (body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("url", out var url) && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var hub)
            && body.TryGetProperty("accessToken", out var token) && token.GetString() is { Length: > 0 } accessToken)
        {
            return new HubEndpoint(hub, accessToken);
        }
        throw new HttpRequestException("negotiate answered without a hub url and access token");
    }

    /// <summary>The <c>message</c> of an error body, or its start, bounded: logs and heartbeats carry it.</summary>
    private static async Task<string> MessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && (document.RootElement.TryGetProperty("message", out var message) || document.RootElement.TryGetProperty("detail", out message))
                && message.ValueKind == JsonValueKind.String)
            {
                text = message.GetString()!;
            }
        }
        catch (JsonException)
        {
        }
        return text.Truncate(500);
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException or JsonException or NotSupportedException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
