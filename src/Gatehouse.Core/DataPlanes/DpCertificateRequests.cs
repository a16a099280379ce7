namespace Gatehouse.Core.DataPlanes;

/// <summary>A certificate to pin (POST) or to pin instead (PUT): Konnect's <c>{cert, title}</c>.</summary>
public sealed record DpCertificateUpload(string? Cert, string? Title);

/// <summary>Gatehouse's own <c>POST .../dp-client-certificates/generate</c>: an optional title and validity.</summary>
public sealed record DpCertificateGeneration(string? Title, int? ValidityMonths);

/// <summary>A minted certificate as pinned, with the private key the caller receives exactly once.</summary>
public sealed record GeneratedDpCertificate(DpCertificate Certificate, IssuedCertificate Issued);

/// <summary>Settings for DP client certificates.</summary>
public sealed record DpCertificateOptions
{
    /// <summary>Konnect mints ten-year certificates; Gatehouse's largest validity is the same.</summary>
    public const int MaxValidityMonths = 120;

    public const int MaxTitleLength = 255;

    /// <summary>Validity of a generated certificate when the request does not say (Gatehouse__Certificates__ValidityMonths).</summary>
    public int DefaultValidityMonths { get; init; } = 12;
}
