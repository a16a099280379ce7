using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Core.Audit.Delivery;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Gatehouse.Functions.Audit.Delivery;

/// <summary>
/// Signs audit entries with ED25519, as Konnect does, with one key pair made on first use and kept
/// (<see cref="IAuditSigningKeyStore"/>), and publishes the public key as a JWKS
/// (<c>GET /v2/audit-log-webhook/jwks.json</c>, Konnect's path). Signatures and the key's <c>x</c>
/// are base64url without padding, as Konnect's are.
/// </summary>
internal sealed class AuditSigner(IAuditSigningKeyStore keys)
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Ed25519PrivateKeyParameters? _key;

    public async Task<string> SignAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var signer = new Ed25519Signer();
        signer.Init(forSigning: true, key);
        signer.BlockUpdate(payload.Span);
        return Base64Url.EncodeToString(signer.GenerateSignature());
    }

    /// <summary>The JWKS document: the one public key, with its RFC 7638 thumbprint as <c>kid</c>.</summary>
    public async Task<object> JwksAsync(CancellationToken cancellationToken)
    {
        var x = Base64Url.EncodeToString((await KeyAsync(cancellationToken).ConfigureAwait(false)).GeneratePublicKey().GetEncoded());
        var thumbprint = SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"Ed25519","kty":"OKP","x":"{{x}}"}"""));
        return new { keys = new[] { new { alg = "EdDSA", crv = "Ed25519", kid = Base64Url.EncodeToString(thumbprint), kty = "OKP", use = "sig", x } } };
    }

    private async Task<Ed25519PrivateKeyParameters> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } key)
        {
            return key;
        }
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var seed = await keys.GetOrCreateAsync(() => RandomNumberGenerator.GetBytes(Ed25519PrivateKeyParameters.KeySize), cancellationToken).ConfigureAwait(false);
            return _key ??= new Ed25519PrivateKeyParameters(seed);
        }
        finally
        {
            _loading.Release();
        }
    }
}
