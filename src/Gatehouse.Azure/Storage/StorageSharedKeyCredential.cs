using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// A storage account name and key, used to sign requests with Shared Key (Blob, Queue) or
/// Shared Key Lite (Table). The key can be rotated in place without rebuilding clients.
/// </summary>
public sealed class StorageSharedKeyCredential
{
    private byte[] _key;

    public StorageSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        AccountName = accountName;
        _key = DecodeKey(accountKey);
    }

    public string AccountName { get; }

    public void SetAccountKey(string accountKey) => Volatile.Write(ref _key, DecodeKey(accountKey));

    internal string ComputeHmacSha256(string stringToSign)
    {
        var key = Volatile.Read(ref _key);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign), mac);
        return Convert.ToBase64String(mac);
    }

    private static byte[] DecodeKey(string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        try
        {
            return Convert.FromBase64String(accountKey);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The account key must be base64, as the portal and Azurite give it.", nameof(accountKey), e);
        }
    }
}
