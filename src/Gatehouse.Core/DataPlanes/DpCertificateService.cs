using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Validation;

namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// The DP client certificate use cases: pin an uploaded certificate, mint one, list, read, replace,
/// remove. Any control plane takes certificates, groups included (the exception to a group being
/// read-only: a group's data planes need them).
/// </summary>
public sealed class DpCertificateService(
    IControlPlaneStore controlPlanes, IDpCertificateStore store, ICertificateIssuer issuer, DpCertificateOptions options, TimeProvider clock)
{
    // Concurrent replaces or removes of one certificate retry on a fresh read; a few rounds are plenty.
    private const int MaxAttempts = 8;

    public async Task<IReadOnlyList<DpCertificate>> ListAsync(Guid controlPlaneId, CancellationToken cancellationToken)
    {
        await RequireControlPlaneAsync(controlPlaneId, cancellationToken).ConfigureAwait(false);
        return await store.ListAsync(controlPlaneId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DpCertificate> GetAsync(Guid controlPlaneId, Guid id, CancellationToken cancellationToken)
    {
        await RequireControlPlaneAsync(controlPlaneId, cancellationToken).ConfigureAwait(false);
        return await store.FindAsync(controlPlaneId, id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
    }

    public async Task<DpCertificate> PinAsync(Guid controlPlaneId, DpCertificateUpload upload, CancellationToken cancellationToken)
    {
        var (cert, parsed) = CheckUpload(upload);
        await RequireControlPlaneAsync(controlPlaneId, cancellationToken).ConfigureAwait(false);
        return await AddAsync(New(controlPlaneId, Guid.NewGuid(), cert, upload.Title, parsed), cancellationToken).ConfigureAwait(false);
    }

    public async Task<GeneratedDpCertificate> GenerateAsync(Guid controlPlaneId, DpCertificateGeneration request, CancellationToken cancellationToken)
    {
        var errors = new List<InvalidParameter>();
        CheckTitle(request.Title, errors);
        var months = request.ValidityMonths ?? options.DefaultValidityMonths;
        if (months is < 1 or > DpCertificateOptions.MaxValidityMonths)
        {
            errors.Add(new InvalidParameter("validity_months", $"must be from 1 to {DpCertificateOptions.MaxValidityMonths}", "range")
            {
                Minimum = 1,
                Maximum = DpCertificateOptions.MaxValidityMonths,
            });
        }
        ThrowIfInvalid(errors);
        await RequireControlPlaneAsync(controlPlaneId, cancellationToken).ConfigureAwait(false);

        var id = Guid.NewGuid();
        // The CN names the control plane by id: a name can change, the pin cannot.
        var issued = await issuer.IssueAsync(new CertificateIssueRequest($"gatehouse-dp-{id}", $"gatehouse-dp-{controlPlaneId}", months), cancellationToken)
            .ConfigureAwait(false);
        var parsed = DpCertificatePem.Parse(issued.CertificatePem, clock.GetUtcNow(), out var error)
            ?? throw new CertificateIssuerException($"The certificate issuer returned a certificate Gatehouse cannot pin: it {error}.");
        if (!Pem.Matches(issued.CertificatePem, issued.PrivateKeyPem))
        {
            throw new CertificateIssuerException("The certificate issuer returned a private key that does not belong to its certificate.");
        }
        var pinned = await AddAsync(New(controlPlaneId, id, issued.CertificatePem, request.Title, parsed), cancellationToken).ConfigureAwait(false);
        return new GeneratedDpCertificate(pinned, issued);
    }

    public async Task<DpCertificate> ReplaceAsync(Guid controlPlaneId, Guid id, DpCertificateUpload upload, CancellationToken cancellationToken)
    {
        var (cert, parsed) = CheckUpload(upload);
        await RequireControlPlaneAsync(controlPlaneId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await store.FindAsync(controlPlaneId, id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
            var updated = New(controlPlaneId, id, cert, upload.Title, parsed) with { CreatedAt = current.CreatedAt };
            switch (await store.TryReplaceAsync(current, updated, cancellationToken).ConfigureAwait(false))
            {
                case DpCertificateReplaceOutcome.Replaced:
                    return updated;
                case DpCertificateReplaceOutcome.ThumbprintTaken:
                    throw await DuplicateAsync(controlPlaneId, parsed.Thumbprint, cancellationToken).ConfigureAwait(false);
            }
        }
        throw new ConflictException($"DP client certificate {id} is being changed by others too often to apply this change; retry.");
    }

    public async Task DeleteAsync(Guid controlPlaneId, Guid id, CancellationToken cancellationToken)
    {
        await RequireControlPlaneAsync(controlPlaneId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await store.FindAsync(controlPlaneId, id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
            if (await store.TryRemoveAsync(current, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
        throw new ConflictException($"DP client certificate {id} is being changed by others too often to delete it; retry.");
    }

    private async Task<DpCertificate> AddAsync(DpCertificate certificate, CancellationToken cancellationToken)
    {
        if (!await store.TryAddAsync(certificate, cancellationToken).ConfigureAwait(false))
        {
            throw await DuplicateAsync(certificate.ControlPlaneId, certificate.Thumbprint, cancellationToken).ConfigureAwait(false);
        }
        // Deleting a control plane removes its row first and its certificates after. If it was
        // deleted since the check above, its purge may have run before this write: take the
        // certificate back, so that no pin outlives its control plane.
        if (await controlPlanes.FindAsync(certificate.ControlPlaneId, cancellationToken).ConfigureAwait(false) is null)
        {
            await store.RemoveAllAsync(certificate.ControlPlaneId, cancellationToken).ConfigureAwait(false);
            throw ExistingControlPlane.NotFound(certificate.ControlPlaneId);
        }
        return certificate;
    }

    private async Task<ConflictException> DuplicateAsync(Guid controlPlaneId, string thumbprint, CancellationToken cancellationToken)
    {
        var pin = await store.FindByThumbprintAsync(thumbprint, cancellationToken).ConfigureAwait(false);
        return pin is null || pin.ControlPlaneId == controlPlaneId
            ? new ConflictException($"This certificate is already pinned to this control plane (DP client certificate {pin?.CertificateId}).")
            : new ConflictException(
                $"This certificate is already pinned to another control plane ({pin.ControlPlaneId}); a certificate identifies the data planes of one control plane.");
    }

    private (string Cert, ParsedDpCertificate Parsed) CheckUpload(DpCertificateUpload upload)
    {
        var errors = new List<InvalidParameter>();
        ParsedDpCertificate? parsed = null;
        if (upload.Cert is null)
        {
            errors.Add(InvalidParameter.Required("cert"));
        }
        else
        {
            parsed = DpCertificatePem.Parse(upload.Cert, clock.GetUtcNow(), out var error);
            if (parsed is null)
            {
                errors.Add(new InvalidParameter("cert", error!, "pem_certificate"));
            }
        }
        CheckTitle(upload.Title, errors);
        ThrowIfInvalid(errors);
        return (upload.Cert!, parsed!);
    }

    private static void CheckTitle(string? title, List<InvalidParameter> errors)
    {
        if (title is { Length: > DpCertificateOptions.MaxTitleLength })
        {
            errors.Add(InvalidParameter.MaxLength("title", DpCertificateOptions.MaxTitleLength));
        }
    }

    private DpCertificate New(Guid controlPlaneId, Guid id, string cert, string? title, ParsedDpCertificate parsed) =>
        DpCertificate.Of(controlPlaneId, id, cert, title ?? "", parsed, clock.GetUtcNow());

    private async Task RequireControlPlaneAsync(Guid controlPlaneId, CancellationToken cancellationToken)
    {
        _ = await controlPlanes.GetExistingAsync(controlPlaneId, cancellationToken).ConfigureAwait(false);
    }

    private static void ThrowIfInvalid(List<InvalidParameter> errors)
    {
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Invalid DP client certificate request.", errors);
        }
    }

    private static NotFoundException NotFound(Guid id) => new($"The requested DP client certificate ({id}) was not found.");
}
