using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Functions.Access;

/// <summary>
/// The admin token from <c>Gatehouse:AdminToken</c>, kept only as its SHA-256: the break-glass
/// organization admin, which may do everything.
/// </summary>
public sealed class AdminToken
{
    public const int MinimumLength = 24;

    private readonly byte[] _hash;

    public AdminToken(string token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length < MinimumLength)
        {
            throw new InvalidOperationException(
                $"Gatehouse__AdminToken must be set to a secret of at least {MinimumLength} characters (./dev.sh up generates one).");
        }
        // On Azure the setting is a Key Vault reference; when the platform cannot resolve it, the
        // app receives the reference's own text, which is no secret at all.
        if (token.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                "Gatehouse__AdminToken is a Key Vault reference the platform did not resolve: check that the secret exists and that the " +
                "app's identity (keyVaultReferenceIdentity) holds Key Vault Secrets User on the vault.");
        }
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Compared by hash in constant time.</summary>
    public bool Matches(string bearer) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(bearer)), _hash);
}
