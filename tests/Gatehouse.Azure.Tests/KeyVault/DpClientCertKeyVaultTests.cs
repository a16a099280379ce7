using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Certificates;
using Gatehouse.Azure.KeyVault;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Entities;

namespace Gatehouse.Azure.Tests.KeyVault;

/// <summary>
/// The Key Vault certificate issuer on the official CertificateClient and SecretClient, against
/// <see cref="FakeKeyVault"/> (the published contract on a loopback HTTPS Kestrel).
/// </summary>
public sealed class DpClientCertKeyVaultTests : IAsyncLifetime
{
    private FakeKeyVault _vault = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _vault = await FakeKeyVault.StartAsync();

    public async ValueTask DisposeAsync() => await _vault.DisposeAsync();

    private CertificateClient Certificates(TokenCredential? credential = null) => _vault.CertificateClient(credential ?? new StaticToken(FakeKeyVault.Token));

    private KeyVaultCertificateIssuer Issuer(KeyVaultCertificateIssuerOptions? options = null)
    {
        var credential = new StaticToken(FakeKeyVault.Token);
        return new KeyVaultCertificateIssuer(_vault.CertificateClient(credential), _vault.SecretClient(credential),
            options ?? new KeyVaultCertificateIssuerOptions { PollInterval = TimeSpan.FromMilliseconds(20), MaxWait = TimeSpan.FromSeconds(20) });
    }

    private static CertificateIssueRequest Request(string name = "gatehouse-dp-test") => new(name, "gatehouse-dp-cp1", 6);

    [Fact]
    public async Task Issues_a_client_certificate_with_its_key_after_polling_and_leaves_nothing_in_the_vault()
    {
        _vault.InProgressPolls = 2;

        var issued = await Issuer().IssueAsync(Request(), Ct);

        Assert.True(Pem.Matches(issued.CertificatePem, issued.PrivateKeyPem), "the key does not belong to the certificate");
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", issued.PrivateKeyPem);
        Assert.DoesNotContain("PRIVATE KEY", issued.ToString());
        using (var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem))
        {
            Assert.Equal("CN=gatehouse-dp-cp1, O=Gatehouse", certificate.Subject);
            Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");
            Assert.InRange(certificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddMonths(6).AddDays(-1), DateTime.UtcNow.AddMonths(6).AddDays(1));
            Assert.NotNull(certificate.GetECDsaPublicKey());
        }

        // The policy asked for what a DP client certificate needs.
        var policy = _vault.CreateBodies["gatehouse-dp-test"]["policy"]!;
        Assert.True(policy["key_props"]!["exportable"]!.GetValue<bool>());
        Assert.Equal("EC", policy["key_props"]!["kty"]!.GetValue<string>());
        Assert.Equal("P-256", policy["key_props"]!["crv"]!.GetValue<string>());
        Assert.Equal("application/x-pem-file", policy["secret_props"]!["contentType"]!.GetValue<string>());
        Assert.Equal("Self", policy["issuer"]!["name"]!.GetValue<string>());
        Assert.Equal(6, policy["x509_props"]!["validity_months"]!.GetValue<int>());

        // Created, polled past two "inProgress", read, its key read through the secret of that
        // version, deleted, and purged once the deletion had finished.
        var version = _vault.Requests.Single(r => r.StartsWith("GET /secrets/", StringComparison.Ordinal)).Split('/')[^1];
        Assert.Equal(
        [
            "POST /certificates/gatehouse-dp-test/create",
            "GET /certificates/gatehouse-dp-test/pending",
            "GET /certificates/gatehouse-dp-test/pending",
            "GET /certificates/gatehouse-dp-test/pending",
            "GET /certificates/gatehouse-dp-test",
            $"GET /secrets/gatehouse-dp-test/{version}",
            "DELETE /certificates/gatehouse-dp-test",
            "GET /deletedcertificates/gatehouse-dp-test",
            "GET /deletedcertificates/gatehouse-dp-test",
            "DELETE /deletedcertificates/gatehouse-dp-test",
        ], _vault.Requests);
        Assert.Equal(32, version.Length);
        Assert.Empty(_vault.Certificates);
        Assert.Empty(_vault.Deleted);
        Assert.Equal(["gatehouse-dp-test"], _vault.Purged);
    }

    [Fact]
    public async Task A_failed_operation_is_an_issuer_error_naming_keyvaults_reason_and_the_attempt_is_cleaned_up()
    {
        _vault.FailIssuanceWith = "BadParameter";

        var error = await Assert.ThrowsAsync<CertificateIssuerException>(() => Issuer().IssueAsync(Request("failing"), Ct));

        Assert.Contains("BadParameter", error.Message);
        Assert.Contains("The subject name is not valid", error.Message);
        Assert.Empty(_vault.Certificates);
        Assert.Contains("failing", _vault.Purged);
    }

    [Fact]
    public async Task An_operation_that_never_finishes_is_given_up_after_the_bound_and_cleaned_up()
    {
        _vault.InProgressPolls = int.MaxValue;
        var issuer = Issuer(new KeyVaultCertificateIssuerOptions { PollInterval = TimeSpan.FromMilliseconds(20), MaxWait = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<CertificateIssuerException>(() => issuer.IssueAsync(Request("slow"), Ct));

        Assert.Contains("did not finish", error.Message);
        Assert.InRange(_vault.Requests.Count(r => r.EndsWith("/pending", StringComparison.Ordinal)), 3, 40);
        Assert.Empty(_vault.Certificates);
    }

    [Fact]
    public async Task Forbidden_and_unauthorized_answers_are_request_failed_exceptions_with_keyvaults_status_and_code()
    {
        var unauthorized = await Assert.ThrowsAsync<RequestFailedException>(() => Certificates(new StaticToken("wrong")).GetCertificateOperationAsync("any", Ct));
        Assert.Equal(401, unauthorized.Status);
        Assert.Equal("Unauthorized", unauthorized.ErrorCode);
        Assert.Contains("AKV10032: Invalid issuer", unauthorized.Message);

        _vault.Forbid = true;
        var forbidden = await Assert.ThrowsAsync<RequestFailedException>(() => Certificates().GetCertificateAsync("any", Ct));
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("Forbidden", forbidden.ErrorCode);
        Assert.Contains("not authorized", forbidden.Message);

        var refused = await Assert.ThrowsAsync<CertificateIssuerException>(() => Issuer().IssueAsync(Request(), Ct));
        Assert.Equal(403, Assert.IsType<RequestFailedException>(refused.InnerException).Status);
        Assert.Contains("refused to create", refused.Message);
    }

    [Fact]
    public async Task An_identity_that_gets_no_token_is_an_issuer_error_that_says_so()
    {
        var issuer = new KeyVaultCertificateIssuer(_vault.CertificateClient(new NoToken()), _vault.SecretClient(new NoToken()), new KeyVaultCertificateIssuerOptions());

        var error = await Assert.ThrowsAsync<CertificateIssuerException>(() => issuer.IssueAsync(Request(), Ct));

        Assert.Contains("could not get a token for Key Vault", error.Message);
        Assert.Empty(_vault.Requests);
    }

    private sealed class NoToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new global::Azure.Identity.CredentialUnavailableException("No managed identity endpoint found.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromException<AccessToken>(new global::Azure.Identity.CredentialUnavailableException("No managed identity endpoint found."));
    }

    [Fact]
    public async Task The_client_asks_for_a_token_after_the_vaults_challenge_for_its_tenant_and_resource()
    {
        var credential = new StaticToken(FakeKeyVault.Token);
        var client = _vault.CertificateClient(credential);

        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetCertificateAsync("missing", Ct));

        Assert.Equal(404, missing.Status);
        Assert.Equal("CertificateNotFound", missing.ErrorCode);
        // The first request went without a token and drew the challenge; the token was then asked
        // for the challenge's resource in the challenge's tenant.
        Assert.Equal(["GET /certificates/missing"], _vault.Challenged);
        var token = Assert.Single(credential.Requests);
        Assert.Equal(["https://vault.azure.net/.default"], token.Scopes);
        Assert.Equal(FakeKeyVault.Tenant, token.TenantId);
        Assert.Equal(["GET /certificates/missing"], _vault.Requests);

        // A name that is not a Key Vault object name stays one path segment.
        await Assert.ThrowsAsync<RequestFailedException>(() => client.GetCertificateAsync("../keys/x", Ct));
        Assert.Equal("GET /certificates/..%2Fkeys%2Fx", _vault.Requests.Last());
    }

    [Fact]
    public async Task The_vault_refuses_an_api_version_it_does_not_speak_with_its_reason()
    {
        var older = new CertificateClient(_vault.VaultUri, new StaticToken(FakeKeyVault.Token),
            _vault.Trusting(new CertificateClientOptions(CertificateClientOptions.ServiceVersion.V7_5) { DisableChallengeResourceVerification = true }));

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => older.GetCertificateAsync("any", Ct));

        Assert.Equal(400, refused.Status);
        Assert.Equal("BadParameter", refused.ErrorCode);
        Assert.Contains($"The specified version (7.5) is not recognized. Consider using the latest supported version ({FakeKeyVault.ApiVersion})", refused.Message);
    }

    [Fact]
    public async Task Without_the_test_only_relaxation_a_challenge_for_another_domain_than_the_vaults_gets_no_token()
    {
        var credential = new StaticToken(FakeKeyVault.Token);
        var strict = new CertificateClient(_vault.VaultUri, credential, _vault.Trusting(new CertificateClientOptions()));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => strict.GetCertificateAsync("any", Ct));

        Assert.Contains("domain", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(credential.Requests);
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task With_purge_protection_a_purge_is_refused_loudly_and_without_purging_the_key_stays_soft_deleted()
    {
        _vault.PurgeProtection = true;
        var error = await Assert.ThrowsAsync<CertificateIssuerException>(() => Issuer().IssueAsync(Request("protected"), Ct));
        Assert.Contains("refused to purge", error.Message);
        Assert.Contains("Gatehouse__KeyVault__Purge=false", error.Message);

        var issued = await Issuer(new KeyVaultCertificateIssuerOptions { PollInterval = TimeSpan.FromMilliseconds(20), PurgeDeleted = false })
            .IssueAsync(Request("kept-deleted"), Ct);
        Assert.True(Pem.Matches(issued.CertificatePem, issued.PrivateKeyPem));
        Assert.False(_vault.Certificates.ContainsKey("kept-deleted"));
        Assert.True(_vault.Deleted.ContainsKey("kept-deleted"));
    }

    [Fact]
    public async Task A_secret_without_a_private_key_is_refused_and_cleaned_up()
    {
        _vault.ForceNonExportable = true;
        var error = await Assert.ThrowsAsync<CertificateIssuerException>(() => Issuer().IssueAsync(Request("sealed"), Ct));
        Assert.Contains("holds no private key", error.Message);
        Assert.Empty(_vault.Certificates);
    }

    [Fact]
    public void The_key_is_read_from_pem_and_from_pkcs12_secrets()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=secret", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var pem = certificate.ExportCertificatePem();

        var fromPem = KeyVaultSecretKey.ToPkcs8Pem(key.ExportECPrivateKeyPem() + "\n" + pem, CertificateContentType.Pem.ToString());
        var fromPkcs12 = KeyVaultSecretKey.ToPkcs8Pem(Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12, "")), CertificateContentType.Pkcs12.ToString());

        Assert.True(Pem.Matches(pem, fromPem!));
        Assert.True(Pem.Matches(pem, fromPkcs12!));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", fromPkcs12);
        Assert.Null(KeyVaultSecretKey.ToPkcs8Pem(pem, CertificateContentType.Pem.ToString()));
        Assert.Null(KeyVaultSecretKey.ToPkcs8Pem("not base64", CertificateContentType.Pkcs12.ToString()));
    }
}
