using System.Net.Http.Headers;
using System.Text.Json;

namespace Gatehouse.Sidecar.Hub;

/// <summary>Where the WebSocket goes once negotiate is done, and the token it carries.</summary>
internal sealed record NegotiatedConnection(Uri WebSocketUrl, string AccessToken, string HubHost)
{
    public override string ToString() => $"NegotiatedConnection {{ HubHost = {HubHost} }}";
}

/// <summary>
/// SignalR's negotiate (TransportProtocols.md): POST <c>{url}/negotiate?negotiateVersion=1</c> with
/// the bearer token. The answer is a redirect (<c>{url, accessToken}</c>, what Azure SignalR
/// Service's clients are given, followed a bounded number of times), an error, or a connection
/// with its transports, of which this client needs WebSockets.
/// </summary>
internal static class HubNegotiation
{
    public const int MaxRedirects = 10;

    private const int MaxResponseBytes = 64 * 1024;

    /// <summary>Negotiates; each request bounded by <paramref name="stepTimeout"/>. Throws <see cref="HubProtocolException"/> on a refusal or a bad answer.</summary>
    public static async Task<NegotiatedConnection> NegotiateAsync(HttpMessageInvoker http, HubEndpoint endpoint, TimeSpan stepTimeout, CancellationToken cancellationToken)
    {
        var url = endpoint.Url;
        var token = endpoint.AccessToken;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var root = await PostAsync(http, url, token, stepTimeout, cancellationToken).ConfigureAwait(false);
            var answer = root.RootElement;
            if (answer.ValueKind != JsonValueKind.Object)
            {
                throw new HubProtocolException($"The negotiate answer of {url.Host} is a JSON {answer.ValueKind}, not an object.");
            }
            if (String(answer, "error") is { } error)
            {
                throw new HubProtocolException($"{url.Host} refused the negotiate: {error}");
            }
            if (String(answer, "url") is { } redirect)
            {
                if (!Uri.TryCreate(redirect, UriKind.Absolute, out var next) || next.Scheme is not ("http" or "https"))
                {
                    throw new HubProtocolException($"{url.Host} redirected the negotiate to something that is not an http(s) URL.");
                }
                url = next;
                // As the official clients do: a redirect without a token keeps the one in hand.
                token = String(answer, "accessToken") ?? token;
                continue;
            }
            var version = answer.TryGetProperty("negotiateVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : 0;
            // v1 separates the id others may see (connectionId) from the one that reads (connectionToken); v0 has only the former.
            var id = version >= 1 ? String(answer, "connectionToken") : String(answer, "connectionId");
            if (id is null)
            {
                throw new HubProtocolException($"The negotiate answer of {url.Host} has no {(version >= 1 ? "connectionToken" : "connectionId")}.");
            }
            if (!OffersWebSockets(answer))
            {
                throw new HubProtocolException($"{url.Host} does not offer WebSockets with text frames, the only transport this client speaks.");
            }
            return new NegotiatedConnection(HubUrls.WebSocket(url, id, token), token, url.Host);
        }
        throw new HubProtocolException($"The negotiate was redirected more than {MaxRedirects} times.");
    }

    private static async Task<JsonDocument> PostAsync(HttpMessageInvoker http, Uri url, string token, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        step.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, HubUrls.Negotiate(url)) { Content = new ByteArrayContent([]) };
        if (token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.SendAsync(request, step.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HubProtocolException($"The negotiate at {url.Host} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(step.Token).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, step.Token).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new HubProtocolException($"The negotiate answer of {url.Host} is larger than {MaxResponseBytes} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        catch (JsonException e)
        {
            throw new HubProtocolException($"The negotiate answer of {url.Host} is not JSON.", e);
        }
    }

    private static bool OffersWebSockets(JsonElement answer) =>
        answer.TryGetProperty("availableTransports", out var transports) && transports.ValueKind == JsonValueKind.Array
        && transports.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.Object
            && String(t, "transport") == "WebSockets"
            && t.TryGetProperty("transferFormats", out var formats) && formats.ValueKind == JsonValueKind.Array
            && formats.EnumerateArray().Any(f => f.ValueKind == JsonValueKind.String && f.GetString() == "Text"));

    private static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
