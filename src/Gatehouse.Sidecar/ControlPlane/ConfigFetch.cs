namespace Gatehouse.Sidecar.ControlPlane;

/// <summary>What <c>GET /v1/dp/config</c> answered, each case one thing the sidecar does next.</summary>
internal abstract record ConfigFetch
{
    private ConfigFetch()
    {
    }

    /// <summary>A snapshot, and the hash the control plane says it has (its ETag).</summary>
    public sealed record Modified(ReadOnlyMemory<byte> Config, string Hash) : ConfigFetch;

    /// <summary>The node already runs the current snapshot (304).</summary>
    public sealed record NotModified : ConfigFetch;

    /// <summary>The control plane will not give this node its config (409: the node is incompatible), and why.</summary>
    public sealed record Withheld(string Message) : ConfigFetch;

    /// <summary>The certificate was refused (401/403): revoked, or pinned to no control plane.</summary>
    public sealed record Refused(int Status, string Message) : ConfigFetch;

    /// <summary>No usable answer (unreachable, timed out, 5xx, garbage): try again later.</summary>
    public sealed record Unavailable(string Reason) : ConfigFetch;
}
