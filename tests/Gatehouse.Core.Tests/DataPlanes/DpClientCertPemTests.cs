using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Entities;
using Gatehouse.Testing;

namespace Gatehouse.Core.Tests.DataPlanes;

/// <summary>What a DP client certificate's PEM must be, and what the local issuer mints.</summary>
public sealed class DpClientCertPemTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static string Certificate(DateTimeOffset notBefore, DateTimeOffset notAfter, string subject = "CN=dp")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(notBefore, notAfter);
        return certificate.ExportCertificatePem();
    }

    [Fact]
    public void A_certificate_with_any_line_endings_and_surrounding_whitespace_parses_to_its_sha256_thumbprint_and_dates()
    {
        var pem = Certificate(s_now.AddDays(-1), s_now.AddDays(30), "CN=edge, O=Example");
        var windows = "\r\n  " + pem.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n\r\n";

        var parsed = DpCertificatePem.Parse(windows, s_now, out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        using var certificate = X509Certificate2.CreateFromPem(pem);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(), parsed.Thumbprint);
        Assert.Equal(64, parsed.Thumbprint.Length);
        Assert.Equal("CN=edge, O=Example", parsed.Subject);
        Assert.Equal(s_now.AddDays(30), parsed.NotAfter);
        Assert.Equal(s_now.AddDays(-1), parsed.NotBefore);
    }

    [Fact]
    public void A_certificate_not_valid_yet_is_accepted_one_expired_by_now_is_not()
    {
        Assert.NotNull(DpCertificatePem.Parse(Certificate(s_now.AddDays(1), s_now.AddDays(2)), s_now, out _));
        Assert.Null(DpCertificatePem.Parse(Certificate(s_now.AddDays(-2), s_now), s_now, out var error));
        Assert.StartsWith("expired at 2026-11-21T12:00:00Z", error);
    }

    [Theory]
    [InlineData("-----BEGIN EC PRIVATE KEY-----", "holds a private key")]
    [InlineData("-----BEGIN ENCRYPTED PRIVATE KEY-----", "holds a private key")]
    [InlineData("-----BEGIN TRUSTED CERTIFICATE-----", "holds a 'TRUSTED CERTIFICATE' block")]
    [InlineData("-----BEGIN X509 CRL-----", "holds a 'X509 CRL' block")]
    public void Other_pem_blocks_are_refused_by_name(string header, string reason)
    {
        var label = header["-----BEGIN ".Length..^5];
        var pem = $"{header}\nAAAA\n-----END {label}-----\n";
        Assert.Null(DpCertificatePem.Parse(pem, s_now, out var error));
        Assert.StartsWith(reason, error);
    }

    [Fact]
    public void The_size_limit_counts_characters_before_anything_is_parsed()
    {
        var pem = Certificate(s_now.AddDays(-1), s_now.AddDays(1));
        Assert.NotNull(DpCertificatePem.Parse(pem.PadRight(DpCertificatePem.MaxLength), s_now, out _));
        Assert.Null(DpCertificatePem.Parse(pem.PadRight(DpCertificatePem.MaxLength + 1), s_now, out var error));
        Assert.StartsWith("must not be longer than", error);
    }

    [Fact]
    public async Task The_local_issuer_mints_a_backdated_self_signed_ecdsa_client_certificate_for_the_months_asked()
    {
        var issued = await new SelfSignedCertificateIssuer(new FixedClock(s_now))
            .IssueAsync(new CertificateIssueRequest("gatehouse-dp-x", "gatehouse-dp-cp", 7), TestContext.Current.CancellationToken);

        Assert.True(Pem.Matches(issued.CertificatePem, issued.PrivateKeyPem));
        Assert.DoesNotContain("PRIVATE", issued.ToString());
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        Assert.Equal("CN=gatehouse-dp-cp, O=Gatehouse", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.Equal(s_now.AddMinutes(-5).UtcDateTime, certificate.NotBefore.ToUniversalTime());
        Assert.Equal(s_now.AddMonths(7).UtcDateTime, certificate.NotAfter.ToUniversalTime());
        Assert.Equal("1.2.840.10045.2.1", certificate.PublicKey.Oid.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.NotNull(DpCertificatePem.Parse(issued.CertificatePem, s_now, out _));

        var another = await new SelfSignedCertificateIssuer(new FixedClock(s_now))
            .IssueAsync(new CertificateIssueRequest("gatehouse-dp-y", "gatehouse-dp-cp", 7), TestContext.Current.CancellationToken);
        Assert.NotEqual(issued.CertificatePem, another.CertificatePem);
    }

    [Fact]
    public void Testing_certificates_pass_the_dp_check()
    {
        Assert.NotNull(DpCertificatePem.Parse(TestCertificates.Server().Certificate, DateTimeOffset.UtcNow, out _));
    }
}
