namespace Gatehouse.Azure.Storage;

/// <summary>
/// The parts of an Azure Storage connection string Gatehouse uses: the three service endpoints
/// and the shared key. <c>UseDevelopmentStorage=true</c> means Azurite on its default ports.
/// </summary>
public sealed record StorageConnectionString(
    Uri BlobEndpoint,
    Uri QueueEndpoint,
    Uri TableEndpoint,
    StorageSharedKeyCredential Credential)
{
    public const string DevelopmentAccountName = "devstoreaccount1";

    // Azurite's well-known key, published in its README; not a secret.
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Parses a connection string; throws <see cref="FormatException"/> naming the part that is wrong.</summary>
    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = Split(connectionString);

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev))
        {
            if (!string.Equals(dev, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("UseDevelopmentStorage accepts only 'true'.");
            }
            return ForAzurite("127.0.0.1", 10000, 10001, 10002);
        }

        if (parts.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException(
                "SharedAccessSignature connection strings are not supported: use an account key, or service URIs with a managed identity.");
        }

        var accountName = Required(parts, "AccountName");
        var accountKey = Required(parts, "AccountKey");
        var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException($"DefaultEndpointsProtocol must be http or https, not '{protocol}'.");
        }
        var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");

        Uri Endpoint(string key, string service) => parts.TryGetValue(key, out var explicitEndpoint)
            ? ParseEndpoint(key, explicitEndpoint)
            : ParseEndpoint(key, $"{protocol}://{accountName}.{service}.{suffix}");

        StorageSharedKeyCredential credential;
        try
        {
            credential = new StorageSharedKeyCredential(accountName, accountKey);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"AccountKey is invalid: {e.Message}", e);
        }

        return new StorageConnectionString(
            Endpoint("BlobEndpoint", "blob"),
            Endpoint("QueueEndpoint", "queue"),
            Endpoint("TableEndpoint", "table"),
            credential);
    }

    /// <summary>The connection to an Azurite instance on the given ports, path-style as Azurite expects.</summary>
    public static StorageConnectionString ForAzurite(string host, int blobPort, int queuePort, int tablePort) => new(
        new Uri($"http://{host}:{blobPort}/{DevelopmentAccountName}"),
        new Uri($"http://{host}:{queuePort}/{DevelopmentAccountName}"),
        new Uri($"http://{host}:{tablePort}/{DevelopmentAccountName}"),
        new StorageSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey));

    private static Dictionary<string, string> Split(string connectionString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Only the first '=' separates: base64 keys end in '='.
            var equals = segment.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException($"Connection string segment '{Redact(segment)}' is not of the form name=value.");
            }
            var name = segment[..equals].Trim();
            if (!parts.TryAdd(name, segment[(equals + 1)..].Trim()))
            {
                throw new FormatException($"Connection string sets '{name}' more than once.");
            }
        }
        return parts;
    }

    private static string Required(Dictionary<string, string> parts, string name) =>
        parts.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"Connection string has no {name}.");

    private static Uri ParseEndpoint(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"{name} '{value}' is not an absolute http(s) URI.");

    // A malformed segment may be a key: never echo more than its start.
    private static string Redact(string segment) => segment.Length <= 12 ? segment : segment[..12] + "…";
}
