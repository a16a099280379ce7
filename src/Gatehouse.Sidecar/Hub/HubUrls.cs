namespace Gatehouse.Sidecar.Hub;

/// <summary>
/// The URLs a hub client derives from a hub URL, as the official clients derive them. Azure
/// SignalR Service's hub URLs carry a query (<c>/client/?hub=dataplane</c>), so paths are
/// extended before it and parameters appended to it.
/// </summary>
internal static class HubUrls
{
    /// <summary><c>{url}/negotiate?negotiateVersion=1</c>, keeping the url's own query.</summary>
    public static Uri Negotiate(Uri hub)
    {
        var builder = new UriBuilder(hub);
        builder.Path = builder.Path.EndsWith('/') ? builder.Path + "negotiate" : builder.Path + "/negotiate";
        return WithQuery(builder.Uri, "negotiateVersion", "1", onlyIfAbsent: true);
    }

    /// <summary>The WebSocket URL: the hub's, scheme mapped (http→ws, https→wss), with the connection id and the token in the query.</summary>
    public static Uri WebSocket(Uri hub, string? connectionId, string? accessToken)
    {
        var builder = new UriBuilder(hub)
        {
            Scheme = hub.Scheme switch
            {
                "https" or "wss" => "wss",
                "http" or "ws" => "ws",
                _ => throw new HubProtocolException($"A hub URL must be http(s), not {hub.Scheme}."),
            },
        };
        // UriBuilder writes the default port of the old scheme explicitly; keep it only when the URL had one.
        if (hub.IsDefaultPort)
        {
            builder.Port = -1;
        }
        var uri = builder.Uri;
        if (connectionId is not null)
        {
            uri = WithQuery(uri, "id", connectionId, onlyIfAbsent: false);
        }
        // In the query as browsers and the JS client send it: a WebSocket handshake through some proxies loses headers.
        if (!string.IsNullOrEmpty(accessToken))
        {
            uri = WithQuery(uri, "access_token", accessToken, onlyIfAbsent: false);
        }
        return uri;
    }

    private static Uri WithQuery(Uri uri, string name, string value, bool onlyIfAbsent)
    {
        var query = uri.Query.TrimStart('?');
        if (onlyIfAbsent && query.Split('&').Any(p => p == name || p.StartsWith(name + "=", StringComparison.Ordinal)))
        {
            return uri;
        }
        var pair = $"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}";
        return new UriBuilder(uri) { Query = query.Length == 0 ? pair : $"{query}&{pair}" }.Uri;
    }
}
