using System.Collections;
using Azure;

namespace Gatehouse.Azure.Tables;

/// <summary>
/// One row of a table: its keys, its service-managed <see cref="Timestamp"/> and <see cref="ETag"/>,
/// and named properties of the types the Table service stores (string, bool, int, long, double,
/// <see cref="DateTimeOffset"/>, <see cref="Guid"/>, byte[] / <see cref="BinaryData"/>).
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    public TableEntity()
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int Count => _properties.Count;

    public IEnumerable<string> Keys => _properties.Keys;

    public object? this[string name]
    {
        get => _properties.TryGetValue(name, out var value) ? value : null;
        set => _properties[TableLimits.CheckPropertyName(name)] = value;
    }

    public void Add(string name, object? value) => _properties.Add(TableLimits.CheckPropertyName(name), value);

    public bool Remove(string name) => _properties.Remove(name);

    public bool ContainsKey(string name) => _properties.ContainsKey(name);

    public string? GetString(string name) => this[name] switch
    {
        null => null,
        string s => s,
        var other => throw WrongType(name, typeof(string), other),
    };

    public bool? GetBoolean(string name) => Get<bool>(name);

    public int? GetInt32(string name) => Get<int>(name);

    public long? GetInt64(string name) => this[name] switch
    {
        null => null,
        long l => l,
        int i => i,
        var other => throw WrongType(name, typeof(long), other),
    };

    public double? GetDouble(string name) => this[name] switch
    {
        null => null,
        double d => d,
        int i => i,
        var other => throw WrongType(name, typeof(double), other),
    };

    public DateTimeOffset? GetDateTimeOffset(string name) => this[name] switch
    {
        null => null,
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        var other => throw WrongType(name, typeof(DateTimeOffset), other),
    };

    public Guid? GetGuid(string name) => Get<Guid>(name);

    public BinaryData? GetBinaryData(string name) => this[name] switch
    {
        null => null,
        BinaryData b => b,
        byte[] b => BinaryData.FromBytes(b),
        var other => throw WrongType(name, typeof(BinaryData), other),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private T? Get<T>(string name)
        where T : struct => this[name] switch
        {
            null => null,
            T value => value,
            var other => throw WrongType(name, typeof(T), other),
        };

    private static InvalidOperationException WrongType(string name, Type wanted, object actual) =>
        new($"Property '{name}' holds a {actual.GetType().Name}, not a {wanted.Name}.");
}
