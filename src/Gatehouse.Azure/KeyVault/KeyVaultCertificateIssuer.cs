using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Certificates;
using Azure.Security.KeyVault.Secrets;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Azure.KeyVault;

/// <summary>How long the Key Vault issuer waits, and whether it purges what it deleted.</summary>
public sealed record KeyVaultCertificateIssuerOptions
{
    /// <summary>Between polls of the pending operation. Self-signed certificates usually complete within seconds.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for the operation before giving up (and deleting what was started).</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Purge the deleted certificate, so the key is not kept even in the vault's deleted state (Gatehouse__KeyVault__Purge).</summary>
    public bool PurgeDeleted { get; init; } = true;

    /// <summary>Measures <see cref="MaxWait"/>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// Mints DP client certificates in Azure Key Vault: the key pair is made inside the vault
/// (exportable, so the data plane can have it), self-signed with the client-authentication EKU;
/// the private key is read once through the certificate's secret, and then the certificate is
/// deleted from the vault, so the vault does not keep a key Gatehouse hands out.
/// </summary>
public sealed class KeyVaultCertificateIssuer(CertificateClient certificates, SecretClient secrets, KeyVaultCertificateIssuerOptions options)
    : ICertificateIssuer
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    public async Task<IssuedCertificate> IssueAsync(CertificateIssueRequest request, CancellationToken cancellationToken)
    {
        CertificateOperation operation;
        try
        {
            operation = await certificates.StartCreateCertificateAsync(request.Name, Policy(request), enabled: true, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw Refused("create", request.Name, e);
        }
        catch (AuthenticationFailedException e)
        {
            // No identity, or one Entra ID refused: a setup problem, said as such rather than a 500.
            throw new CertificateIssuerException($"Gatehouse could not get a token for Key Vault: {FirstLine(e.Message)}", e);
        }

        IssuedCertificate issued;
        try
        {
            issued = await CollectAsync(request.Name, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or CertificateIssuerException or OperationCanceledException)
        {
            // Whatever became of it, nothing of this certificate may stay behind in the vault.
            await TryRemoveAsync(request.Name).ConfigureAwait(false);
            throw e is RequestFailedException failed ? Refused("read", request.Name, failed) : e;
        }
        await RemoveAsync(request.Name, CancellationToken.None).ConfigureAwait(false);
        return issued;
    }

    /// <summary>A self-signed EC P-256 client certificate whose key may leave the vault, its secret in PEM.</summary>
    private static CertificatePolicy Policy(CertificateIssueRequest request) => new(WellKnownIssuerNames.Self, $"CN={request.CommonName}, O=Gatehouse")
    {
        KeyType = CertificateKeyType.Ec,
        KeyCurveName = CertificateKeyCurveName.P256,
        Exportable = true,
        ReuseKey = false,
        ContentType = CertificateContentType.Pem,
        ValidityInMonths = request.ValidityMonths,
        EnhancedKeyUsage = { ClientAuthenticationOid },
        KeyUsage = { CertificateKeyUsage.DigitalSignature },
    };

    private async Task<IssuedCertificate> CollectAsync(string name, CertificateOperation operation, CancellationToken cancellationToken)
    {
        KeyVaultCertificateWithPolicy certificate;
        try
        {
            // Polls the pending operation, then reads the certificate once it has completed.
            certificate = await WaitAsync(operation, $"certificate '{name}'", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (operation.HasCompleted && e is InvalidOperationException or OperationCanceledException)
        {
            // The operation ended without a certificate: failed (with Key Vault's reason), cancelled, or deleted.
            throw new CertificateIssuerException(operation.Properties?.Error is { } error
                ? $"Key Vault could not issue certificate '{name}': {error.Code}: {error.Message}"
                : $"Key Vault's operation for certificate '{name}' ended '{operation.Properties?.Status ?? "deleted"}': {operation.Properties?.StatusDetails}", e);
        }
        KeyVaultSecret secret = await secrets.GetSecretAsync(name, certificate.Properties.Version, cancellationToken).ConfigureAwait(false);
        var key = KeyVaultSecretKey.ToPkcs8Pem(secret.Value, secret.Properties.ContentType)
            ?? throw new CertificateIssuerException($"Key Vault's secret for certificate '{name}' holds no private key (is the key exportable?).");
        return new IssuedCertificate(System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", certificate.Cer), key);
    }

    /// <summary>
    /// Deletes the certificate (all versions, its key and its secret). Vaults soft-delete: the
    /// certificate moves to the deleted state, where principals with the recover permission can
    /// restore it (key included) until the retention period (7 to 90 days) ends, and its name stays
    /// taken. Purging ends that at once, but needs the purge permission and is refused by a vault
    /// with purge protection — there, set PurgeDeleted false and rely on the retention period.
    /// A purge right after the delete is refused while the deletion is still finishing
    /// (asynchronously), so it waits for the delete operation (the certificate showing among the deleted ones) first.
    /// </summary>
    private async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var step = "delete";
        try
        {
            var deletion = await certificates.StartDeleteCertificateAsync(name, cancellationToken).ConfigureAwait(false);
            if (!options.PurgeDeleted)
            {
                return;
            }
            step = "purge";
            await WaitAsync(deletion, $"deleting certificate '{name}'", cancellationToken).ConfigureAwait(false);
            await certificates.PurgeDeletedCertificateAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw new CertificateIssuerException(
                $"Key Vault issued certificate '{name}' but refused to {step} it ({e.Status} {e.ErrorCode}); " +
                "the certificate was not pinned. Grant the app delete (and purge) permission on certificates, or set Gatehouse__KeyVault__Purge=false.", e);
        }
    }

    /// <summary>Cleanup after a failure: best effort, never hiding the failure that led here.</summary>
    private async Task TryRemoveAsync(string name)
    {
        using var timeout = new CancellationTokenSource(options.MaxWait, options.Clock);
        try
        {
            await RemoveAsync(name, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CertificateIssuerException or OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The operation's own polling, every <see cref="KeyVaultCertificateIssuerOptions.PollInterval"/> (or later, if
    /// the vault says Retry-After), given up after <see cref="KeyVaultCertificateIssuerOptions.MaxWait"/>. A delay
    /// strategy rather than the TimeSpan overload, which never polls more often than once a second.
    /// </summary>
    private async Task<T> WaitAsync<T>(Operation<T> operation, string what, CancellationToken cancellationToken)
        where T : notnull
    {
        using var timeout = new CancellationTokenSource(options.MaxWait, options.Clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var polling = DelayStrategy.CreateFixedDelayStrategy(options.PollInterval);
            return (await operation.WaitForCompletionAsync(polling, linked.Token).ConfigureAwait(false)).Value;
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CertificateIssuerException($"Key Vault did not finish {what} within {options.MaxWait.TotalSeconds:0.#} s.", e);
        }
    }

    private static CertificateIssuerException Refused(string step, string name, RequestFailedException e) =>
        new($"Key Vault refused to {step} certificate '{name}': {e.Status} {e.ErrorCode}: {FirstLine(e.Message)}", e);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
