using Azure.Data.Tables;

namespace Gatehouse.Azure.Tables;

/// <summary>
/// The Table service's documented limits that Gatehouse's own writes plan around: how much fits
/// in one transaction, and whether a row can be written at all, checked before it joins others
/// (the Table client leaves these to the service, which refuses with an opaque 400).
/// https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model
/// </summary>
public static class TableLimits
{
    /// <summary>1 KiB of UTF-16: 512 characters (Azurite enforces exactly this).</summary>
    public const int MaxKeyLength = 512;
    public const int MaxCustomProperties = 252;
    public const int MaxStringLength = 32 * 1024;
    public const int MaxBinaryLength = 64 * 1024;
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxTransactionActions = 100;
    public const int MaxTransactionBytes = 4 * 1024 * 1024;

    // Held in a TableEntity beside its properties, but not counted or sized as properties.
    private static readonly HashSet<string> s_systemProperties = new(StringComparer.Ordinal)
    {
        "PartitionKey", "RowKey", "Timestamp", "odata.etag",
    };

    /// <summary>Up to 512 characters (1 KiB) other than '/', '\', '#', '?' and control characters.</summary>
    private static string CheckKey(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"{paramName} is {key.Length} characters; the limit is {MaxKeyLength}.", paramName);
        }
        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
                throw new ArgumentException($"{paramName} contains '{shown}', which the Table service does not allow in keys.", paramName);
            }
        }
        return key;
    }

    /// <summary>
    /// Checks keys, property count, value types and sizes, and the entity's total size by the
    /// service's own formula. Returns that size in bytes.
    /// </summary>
    public static int CheckEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        CheckKey(entity.PartitionKey, nameof(entity.PartitionKey));
        CheckKey(entity.RowKey, nameof(entity.RowKey));
        var properties = entity.Where(p => !s_systemProperties.Contains(p.Key)).ToList();
        if (properties.Count > MaxCustomProperties)
        {
            throw new ArgumentException(
                $"The entity has {properties.Count} properties; the limit is {MaxCustomProperties} besides PartitionKey, RowKey and Timestamp.", nameof(entity));
        }

        var size = 4 + ((entity.PartitionKey.Length + entity.RowKey.Length) * 2);
        foreach (var (name, value) in properties)
        {
            size += 8 + (name.Length * 2) + ValueSize(name, value);
        }
        if (size > MaxEntityBytes)
        {
            throw new ArgumentException(
                $"The entity ({entity.PartitionKey}, {entity.RowKey}) is {size:N0} bytes; the limit is {MaxEntityBytes:N0}.", nameof(entity));
        }
        return size;
    }

    private static int ValueSize(string name, object? value) => value switch
    {
        null => 0,
        string s when s.Length > MaxStringLength => throw TooLarge(name, $"{s.Length:N0} characters", $"{MaxStringLength:N0} characters"),
        string s => 4 + (s.Length * 2),
        bool => 1,
        int => 4,
        long or double or DateTimeOffset or DateTime => 8,
        Guid => 16,
        byte[] b => BinarySize(name, b.Length),
        BinaryData b => BinarySize(name, b.ToMemory().Length),
        _ => throw new ArgumentException(
            $"Property '{name}' is a {value.GetType().Name}; the Table service stores string, bool, int, long, double, DateTimeOffset, Guid and binary.", nameof(value)),
    };

    private static int BinarySize(string name, int length) => length > MaxBinaryLength
        ? throw TooLarge(name, $"{length:N0} bytes", $"{MaxBinaryLength:N0} bytes")
        : 4 + length;

    private static ArgumentException TooLarge(string name, string actual, string limit) =>
        new($"Property '{name}' is {actual}; the limit is {limit}.", "entity");
}
