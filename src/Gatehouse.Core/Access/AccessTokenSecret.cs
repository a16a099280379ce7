using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Access;

/// <summary>
/// System account tokens: <c>spat_</c> and 43 base62 characters (256 bits from the OS's CSPRNG).
/// Only the SHA-256 of the whole token is ever kept; a token is fast to check and useless to steal from storage.
/// </summary>
public static class AccessTokenSecret
{
    public const string SystemAccountPrefix = "spat_";

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // 43 characters of base62 carry 43 * log2(62) ≈ 256 bits.
    private const int SecretLength = 43;

    public static string NewSystemAccountToken() =>
        SystemAccountPrefix + RandomNumberGenerator.GetString(Alphabet, SecretLength);

    /// <summary>Lowercase hex of SHA-256 over the token's UTF-8 bytes: the only form in which a token is stored.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether a bearer value has the shape of a system account token (it may still be unknown).</summary>
    public static bool LooksLikeSystemAccountToken(string value) =>
        value.Length == SystemAccountPrefix.Length + SecretLength
        && value.StartsWith(SystemAccountPrefix, StringComparison.Ordinal)
        && value.AsSpan(SystemAccountPrefix.Length).IndexOfAnyExcept(Alphabet) < 0;
}
