using System.Security.Cryptography;

namespace Gatehouse.Core.Entities;

/// <summary>The values Kong generates for <c>auto = true</c> string fields (key-auth keys, hmac and JWT secrets).</summary>
public static class RandomStrings
{
    /// <summary>
    /// Kong's random_string (kong/tools/rand.lua:107-146): 24 random bytes in base64, 32
    /// characters, with '/' and '+' replaced by random letters, so the result is alphanumeric.
    /// </summary>
    public static string Kong()
    {
        Span<byte> bytes = stackalloc byte[24];
        RandomNumberGenerator.Fill(bytes);
        var characters = Convert.ToBase64String(bytes).ToCharArray();
        for (var i = 0; i < characters.Length; i++)
        {
            characters[i] = characters[i] switch
            {
                '/' => (char)RandomNumberGenerator.GetInt32('A', 'Z' + 1),
                '+' => (char)RandomNumberGenerator.GetInt32('a', 'z' + 1),
                var c => c,
            };
        }
        return new string(characters);
    }
}
