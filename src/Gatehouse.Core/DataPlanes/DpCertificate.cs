namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// A data plane client certificate pinned to one control plane (Konnect's
/// DataPlaneClientCertificate). A data plane presenting it, with its key, is that control plane's
/// data plane; deleting it bans the data plane. Only the certificate is kept, never a key.
/// </summary>
public sealed record DpCertificate
{
    /// <summary>A new certificate record from a parsed PEM, created and updated at <paramref name="now"/>.</summary>
    public static DpCertificate Of(Guid controlPlaneId, Guid id, string cert, string title, ParsedDpCertificate parsed, DateTimeOffset now) => new()
    {
        Id = id,
        ControlPlaneId = controlPlaneId,
        Cert = cert,
        Title = title,
        Thumbprint = parsed.Thumbprint,
        Subject = parsed.Subject,
        Issuer = parsed.Issuer,
        NotBefore = parsed.NotBefore,
        NotAfter = parsed.NotAfter,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public required Guid Id { get; init; }

    public required Guid ControlPlaneId { get; init; }

    /// <summary>The PEM as the user sent it (or as Gatehouse minted it), so that what is read back is what was written.</summary>
    public required string Cert { get; init; }

    public string Title { get; init; } = "";

    /// <summary>Lowercase hex SHA-256 of the certificate's DER: what a presented certificate is looked up by.</summary>
    public required string Thumbprint { get; init; }

    public required string Subject { get; init; }

    public required string Issuer { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>When the certificate expires (Kong's <c>cert_details.expiry_timestamp</c>).</summary>
    public required DateTimeOffset NotAfter { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The store's concurrency token for this version; opaque to the domain.</summary>
    public string? Version { get; init; }

    /// <summary>What a data plane request is checked against: where the certificate is pinned, and until when.</summary>
    public DpCertificatePin Pin => new(ControlPlaneId, Id, NotAfter);
}

/// <summary>
/// The answer to "whose certificate is this?" for a presented certificate's thumbprint: the one
/// control plane it is pinned to, which certificate record pins it, and when it expires.
/// </summary>
public sealed record DpCertificatePin(Guid ControlPlaneId, Guid CertificateId, DateTimeOffset NotAfter);
