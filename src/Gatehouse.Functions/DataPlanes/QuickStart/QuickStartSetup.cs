using System.Net;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.DataPlanes.QuickStart;

/// <summary>
/// What every quick start output is made from: the control plane, where its data planes reach it,
/// the freshly minted certificate and key, and the images. The sidecar's command line and Kong's
/// settings are spelled here once, so the Docker script, the compose file and the Kubernetes
/// manifests cannot drift apart.
/// </summary>
internal sealed record QuickStartSetup(
    Guid ControlPlaneId,
    string ControlPlaneUrl,
    string CertificatePem,
    string PrivateKeyPem,
    string? ServerCaPem,
    KongVersion KongVersion,
    string KongImage,
    string SidecarImage)
{
    /// <summary>Where the certificate, its key and the server CA are mounted in the sidecar's container.</summary>
    public const string CertificateDirectory = "/etc/gatehouse";

    /// <summary>Where the sidecar keeps its last good config (a volume, so a restart serves it again).</summary>
    public const string CacheDirectory = "/var/lib/gatehouse";

    /// <summary>Kong's Admin API, on loopback only: the sidecar shares Kong's network namespace (a pod, or Docker's container: network).</summary>
    public const string KongAdminListen = "127.0.0.1:8001";

    public const string CertificateFile = "tls.crt";
    public const string KeyFile = "tls.key";
    public const string ServerCaFile = "server-ca.crt";

    /// <summary>A name for containers, volumes and Kubernetes objects: DNS-1123, unique per control plane.</summary>
    public string Name => $"gatehouse-dp-{ControlPlaneId.ToString("N")[..8]}";

    /// <summary>
    /// A control plane on this machine's loopback is reached from a container only in the host's
    /// network namespace (its server certificate names localhost and 127.0.0.1, nothing else).
    /// </summary>
    public bool ControlPlaneOnLoopback =>
        Uri.TryCreate(ControlPlaneUrl, UriKind.Absolute, out var url)
        && (url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));

    /// <summary>The sidecar's flags, in the container's paths.</summary>
    public IReadOnlyList<string> SidecarArguments =>
    [
        "--control-plane-url", ControlPlaneUrl,
        "--cert", $"{CertificateDirectory}/{CertificateFile}",
        "--key", $"{CertificateDirectory}/{KeyFile}",
        .. ServerCaPem is null ? Array.Empty<string>() : ["--server-ca", $"{CertificateDirectory}/{ServerCaFile}"],
        "--kong-admin-url", $"http://{KongAdminListen}",
        "--cache-dir", CacheDirectory,
    ];

    /// <summary>Kong in DB-less mode, its Admin API on loopback, logs to the container's output.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> KongEnvironment =>
    [
        new("KONG_DATABASE", "off"),
        new("KONG_ADMIN_LISTEN", KongAdminListen),
        new("KONG_PROXY_ACCESS_LOG", "/dev/stdout"),
        new("KONG_PROXY_ERROR_LOG", "/dev/stderr"),
        new("KONG_ADMIN_ACCESS_LOG", "/dev/stdout"),
        new("KONG_ADMIN_ERROR_LOG", "/dev/stderr"),
    ];

    /// <summary>What goes in the certificate directory, by file name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CertificateFiles =>
    [
        new(CertificateFile, Lines(CertificatePem)),
        new(KeyFile, Lines(PrivateKeyPem)),
        .. ServerCaPem is null ? Array.Empty<KeyValuePair<string, string>>() : [new(ServerCaFile, Lines(ServerCaPem))],
    ];

    /// <summary>Kong's proxy ports, published or exposed by each output.</summary>
    public static IReadOnlyList<int> ProxyPorts { get; } = [8000, 8443];

    private static string Lines(string pem) => pem.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
}
