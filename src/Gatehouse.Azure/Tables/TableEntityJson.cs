using System.Globalization;
using System.Text.Json;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Tables;

/// <summary>
/// Entities in the Table service's OData JSON (minimal metadata): types JSON cannot carry on its
/// own (Int64, DateTime, Guid, Binary, and Double so it survives a round trip) are annotated with
/// <c>name@odata.type</c>.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";

    /// <summary>
    /// Writes the entity with its keys: the service accepts keys in update bodies too, and Azurite
    /// fails a transaction whose upsert body has no properties at all.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString("PartitionKey", entity.PartitionKey);
        writer.WriteString("RowKey", entity.RowKey);
        foreach (var (name, value) in entity)
        {
            WriteProperty(writer, name, value);
        }
        writer.WriteEndObject();
    }

    public static byte[] Serialize(TableEntity entity)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                // The service has no null: an absent property is how a table says "no value".
                break;
            case string s:
                writer.WriteString(name, s);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case long l:
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                break;
            case double d:
                if (double.IsFinite(d))
                {
                    writer.WriteNumber(name, d);
                }
                else
                {
                    // "NaN", "Infinity", "-Infinity": the service's spelling, and .NET's.
                    writer.WriteString(name, d.ToString(CultureInfo.InvariantCulture));
                }
                writer.WriteString(name + TypeSuffix, "Edm.Double");
                break;
            case DateTimeOffset d:
                WriteDateTime(writer, name, d.UtcDateTime);
                break;
            case DateTime d:
                WriteDateTime(writer, name, d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc));
                break;
            case Guid g:
                writer.WriteString(name, g.ToString("D"));
                writer.WriteString(name + TypeSuffix, "Edm.Guid");
                break;
            case byte[] bytes:
                writer.WriteBase64String(name, bytes);
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                break;
            case BinaryData data:
                writer.WriteBase64String(name, data.ToMemory().Span);
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                break;
            default:
                throw new ArgumentException($"Property '{name}' is a {value.GetType().Name}, which the Table service cannot store.", nameof(value));
        }
    }

    private static void WriteDateTime(Utf8JsonWriter writer, string name, DateTime utc)
    {
        writer.WriteString(name, utc.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
        writer.WriteString(name + TypeSuffix, "Edm.DateTime");
    }

    public static TableEntity Read(JsonElement json)
    {
        var entity = new TableEntity();
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name.Contains('@', StringComparison.Ordinal) || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                if (name == "odata.etag")
                {
                    entity.ETag = StorageETag.Parse(property.Value.GetString());
                }
                continue;
            }

            switch (name)
            {
                case "PartitionKey":
                    entity.PartitionKey = property.Value.GetString()!;
                    continue;
                case "RowKey":
                    entity.RowKey = property.Value.GetString()!;
                    continue;
                case "Timestamp":
                    entity.Timestamp = ParseDateTime(property.Value.GetString()!);
                    continue;
            }

            var type = json.TryGetProperty(name + TypeSuffix, out var annotation) ? annotation.GetString() : null;
            entity[name] = ReadValue(property.Value, type);
        }
        return entity;
    }

    private static object? ReadValue(JsonElement value, string? edmType) => (edmType, value.ValueKind) switch
    {
        ("Edm.Int64", _) => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        ("Edm.Double", JsonValueKind.String) => double.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        ("Edm.Double", _) => value.GetDouble(),
        ("Edm.DateTime", _) => ParseDateTime(value.GetString()!),
        ("Edm.Guid", _) => Guid.Parse(value.GetString()!),
        ("Edm.Binary", _) => value.GetBytesFromBase64(),
        (_, JsonValueKind.String) => value.GetString(),
        (_, JsonValueKind.True) => true,
        (_, JsonValueKind.False) => false,
        (_, JsonValueKind.Number) when value.TryGetInt32(out var i) => i,
        (_, JsonValueKind.Number) => value.GetDouble(),
        (_, JsonValueKind.Null) => null,
        _ => throw new FormatException($"The Table service returned an unexpected {value.ValueKind} ({edmType ?? "no type"})."),
    };

    private static DateTimeOffset ParseDateTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
