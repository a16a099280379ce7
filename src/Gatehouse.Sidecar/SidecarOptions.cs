using System.Globalization;

namespace Gatehouse.Sidecar;

/// <summary>
/// The sidecar's settings, each from a flag or else an environment variable (flags win), checked
/// at start so that a wrong one stops the sidecar with the reason instead of a loop of failures.
/// </summary>
internal sealed record SidecarOptions
{
    public required Uri ControlPlaneUrl { get; init; }
    public required string CertificateFile { get; init; }
    public string? KeyFile { get; init; }
    public string? ServerCaFile { get; init; }
    public Uri KongAdminUrl { get; init; } = new("http://127.0.0.1:8001");
    public string CacheDirectory { get; init; } = "gatehouse-cache";
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);
    public Guid? NodeId { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public bool Push { get; init; } = true;
    public Uri? KongStatusUrl { get; init; }
    public bool Metrics { get; init; } = true;

    /// <summary>Every setting: its flag, its environment variable, and what it is.</summary>
    public static readonly IReadOnlyList<(string Flag, string Variable, string Help)> Settings =
    [
        ("--control-plane-url", "GATEHOUSE_CONTROL_PLANE_URL", "the data plane endpoint of Gatehouse, e.g. https://127.0.0.1:7443 (required)"),
        ("--cert", "GATEHOUSE_CLIENT_CERT", "PEM file of the client certificate pinned to the control plane (required)"),
        ("--key", "GATEHOUSE_CLIENT_KEY", "PEM file of its private key (default: in the certificate's file)"),
        ("--server-ca", "GATEHOUSE_SERVER_CA", "PEM file of the only certificates to trust for the control plane's server certificate (default: the system's roots)"),
        ("--kong-admin-url", "KONG_ADMIN_URL", "Kong's Admin API, in DB-less mode (default http://127.0.0.1:8001)"),
        ("--cache-dir", "GATEHOUSE_CACHE_DIR", "where the last good config is kept (default ./gatehouse-cache)"),
        ("--poll-interval", "GATEHOUSE_POLL_INTERVAL", "seconds between config checks when no push arrives (default 30)"),
        ("--heartbeat-interval", "GATEHOUSE_HEARTBEAT_INTERVAL", "seconds between heartbeats (default 30, Kong's ping interval)"),
        ("--node-id", "GATEHOUSE_NODE_ID", "the node's id (default: Kong's node_id)"),
        ("--labels", "GATEHOUSE_DP_LABELS", "labels as Kong's cluster_dp_labels writes them: key:value,key:value"),
        ("--push", "GATEHOUSE_PUSH", "on (default) to listen for pushes, off to poll only"),
        ("--kong-status-url", "KONG_STATUS_URL", "Kong's Status API, for /status and the Prometheus plugin's /metrics (default: the Admin API)"),
        ("--metrics", "GATEHOUSE_METRICS", "on (default) to report Kong's traffic (from the Prometheus plugin) with heartbeats, off not to"),
    ];

    /// <summary>The options, or <see cref="ArgumentException"/> naming the flag and what is wrong with it.</summary>
    public static SidecarOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, value) = args[i].Split('=', 2) is [var f, var v] ? (f, v) : (args[i], i + 1 < args.Count ? args[++i] : null);
            if (!Settings.Any(s => s.Flag == flag))
            {
                throw new ArgumentException($"{flag}: no such flag.");
            }
            given[flag] = value ?? throw new ArgumentException($"{flag}: needs a value.");
        }
        string? Value(string flag)
        {
            var variable = Settings.Single(s => s.Flag == flag).Variable;
            return given.TryGetValue(flag, out var v) ? v : environment(variable) is { Length: > 0 } e ? e : null;
        }
        string Required(string flag) => Value(flag) ?? throw new ArgumentException($"{flag} (or {Settings.Single(s => s.Flag == flag).Variable}) is required.");

        return new SidecarOptions
        {
            ControlPlaneUrl = Url("--control-plane-url", Required("--control-plane-url")),
            CertificateFile = ExistingFile("--cert", Required("--cert")),
            KeyFile = Value("--key") is { } key ? ExistingFile("--key", key) : null,
            ServerCaFile = Value("--server-ca") is { } ca ? ExistingFile("--server-ca", ca) : null,
            KongAdminUrl = Value("--kong-admin-url") is { } kong ? Url("--kong-admin-url", kong) : new Uri("http://127.0.0.1:8001"),
            CacheDirectory = Value("--cache-dir") ?? "gatehouse-cache",
            PollInterval = Seconds("--poll-interval", Value("--poll-interval"), 30),
            HeartbeatInterval = Seconds("--heartbeat-interval", Value("--heartbeat-interval"), 30),
            NodeId = Value("--node-id") is { } id ? Guid.TryParseExact(id, "D", out var g) ? g : throw new ArgumentException($"--node-id: '{id}' is not a UUID.") : null,
            Labels = Value("--labels") is { } labels ? ParseLabels(labels) : new Dictionary<string, string>(),
            Push = OnOff("--push", Value("--push")),
            KongStatusUrl = Value("--kong-status-url") is { } status ? Url("--kong-status-url", status) : null,
            Metrics = OnOff("--metrics", Value("--metrics")),
        };
    }

    public static string Usage() =>
        "Usage: gatehouse-sidecar [--flag value]...\n"
        + "Listens for Gatehouse's pushes, pulls the control plane's config, applies it to Kong, heartbeats.\n\n"
        + string.Join('\n', Settings.Select(s => $"  {s.Flag,-22} {s.Variable,-30} {s.Help}")) + "\n";

    private static Uri Url(string flag, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Query.Length == 0
            ? new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/")
            : throw new ArgumentException($"{flag}: '{text}' is not an http(s) URL without a query.");

    private static bool OnOff(string flag, string? text) => text switch
    {
        null or "on" or "true" => true,
        "off" or "false" => false,
        var other => throw new ArgumentException($"{flag}: '{other}' is neither on nor off."),
    };

    private static string ExistingFile(string flag, string path) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new ArgumentException($"{flag}: no file at '{path}'.");

    private static TimeSpan Seconds(string flag, string? text, double fallback)
    {
        if (text is null)
        {
            return TimeSpan.FromSeconds(fallback);
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.05 and <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{flag}: '{text}' is not a number of seconds between 0.05 and 86400.");
    }

    /// <summary>Kong's <c>cluster_dp_labels</c> form: comma-separated <c>key:value</c> pairs.</summary>
    private static Dictionary<string, string> ParseLabels(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (pair.Split(':', 2) is not [{ Length: > 0 } key, var value] || !labels.TryAdd(key, value))
            {
                throw new ArgumentException($"--labels: '{pair}' is not a key:value pair with a new key.");
            }
        }
        return labels;
    }
}
