using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Access;

/// <summary>
/// Access tokens: <c>spat_</c> (a system account's) or <c>kpat_</c> (a user's personal access token)
/// and 43 base62 characters (256 bits from the OS's CSPRNG).
/// Only the SHA-256 of the whole token is ever kept; a token is fast to check and useless to steal from storage.
/// </summary>
public static class AccessTokenSecret
{
    public const string SystemAccountPrefix = "spat_";
    public const string PersonalPrefix = "kpat_";

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // 43 characters of base62 carry 43 * log2(62) ≈ 256 bits.
    private const int SecretLength = 43;

    public static string NewSystemAccountToken() =>
        SystemAccountPrefix + RandomNumberGenerator.GetString(Alphabet, SecretLength);

    public static string NewPersonalAccessToken() =>
        PersonalPrefix + RandomNumberGenerator.GetString(Alphabet, SecretLength);

    /// <summary>Lowercase hex of SHA-256 over the token's UTF-8 bytes: the only form in which a token is stored.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether a bearer value has the shape of a system account token (it may still be unknown).</summary>
    public static bool LooksLikeSystemAccountToken(string value) => HasShape(value, SystemAccountPrefix);

    /// <summary>Whether a bearer value has the shape of a <c>spat_</c> or <c>kpat_</c> token (it may still be unknown).</summary>
    public static bool LooksLikeAccessToken(string value) => HasShape(value, SystemAccountPrefix) || HasShape(value, PersonalPrefix);

    // Both prefixes are five characters, so the lengths agree.
    private static bool HasShape(string value, string prefix) =>
        value.Length == prefix.Length + SecretLength
        && value.StartsWith(prefix, StringComparison.Ordinal)
        && value.AsSpan(prefix.Length).IndexOfAnyExcept(Alphabet) < 0;
}
