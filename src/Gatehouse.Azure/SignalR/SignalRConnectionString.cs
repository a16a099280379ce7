namespace Gatehouse.Azure.SignalR;

/// <summary>
/// An Azure SignalR Service connection string with an access key:
/// <c>Endpoint=https://&lt;name&gt;.service.signalr.net;AccessKey=…;Version=1.0;</c> (<c>Port</c> optional).
/// Identity-based connections carry no key and are configured with an endpoint and a credential instead.
/// </summary>
public sealed record SignalRConnectionString(Uri Endpoint, SignalRAccessKey AccessKey)
{
    /// <summary>Parses a connection string; throws <see cref="FormatException"/> naming the part that is wrong.</summary>
    public static SignalRConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"SignalR connection string part '{Redact(part)}' is not key=value.");
            }
            parts[part[..equals].Trim()] = part[(equals + 1)..].Trim();
        }
        if (parts.TryGetValue("Version", out var version) && version != "1.0")
        {
            throw new FormatException($"SignalR connection string Version '{version}' is not supported; only 1.0.");
        }
        if (parts.TryGetValue("AuthType", out var authType))
        {
            throw new FormatException($"SignalR connection string AuthType '{authType}' is not supported: for an identity, set the endpoint and the credential settings instead.");
        }
        if (!parts.TryGetValue("Endpoint", out var endpointText) || !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new FormatException("SignalR connection string needs Endpoint=https://<name>.service.signalr.net.");
        }
        if (!parts.TryGetValue("AccessKey", out var key) || key.Length == 0)
        {
            throw new FormatException("SignalR connection string needs AccessKey=….");
        }
        if (parts.TryGetValue("Port", out var portText))
        {
            if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new FormatException($"SignalR connection string Port '{portText}' is not a port number.");
            }
            endpoint = new UriBuilder(endpoint) { Port = port }.Uri;
        }
        return new SignalRConnectionString(endpoint, new SignalRAccessKey(key));
    }

    public override string ToString() => $"Endpoint={Endpoint};AccessKey=(withheld);Version=1.0;";

    // Only the key name of a malformed part is shown: its value may be the key.
    private static string Redact(string part) => part.Length <= 12 ? "…" : part[..8] + "…";
}
