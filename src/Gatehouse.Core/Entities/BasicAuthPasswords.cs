using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Entities;

/// <summary>How Kong stores a basic-auth password: never as given, but salted with its consumer's id and hashed.</summary>
public static class BasicAuthPasswords
{
    /// <summary>
    /// <c>sha1(password .. consumer_id)</c> in lowercase hex (kong/plugins/basic-auth/crypto.lua:11-29):
    /// deterministic, so the same password for the same consumer always gives the same value.
    /// </summary>
    public static string Hash(string consumerId, string? password) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes((password ?? "") + consumerId)));
}
