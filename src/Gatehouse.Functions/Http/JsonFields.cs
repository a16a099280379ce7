using System.Text.Json;
using Gatehouse.Core.Validation;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Reads the fields of a JSON object by name and type, collecting one <see cref="InvalidParameter"/>
/// per wrong type or unknown field instead of stopping at the first.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _body;
    private readonly string _prefix;

    public JsonFields(JsonElement body, IReadOnlySet<string> known, List<InvalidParameter> errors, string prefix = "")
    {
        _body = body;
        _prefix = prefix;
        Errors = errors;
        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                errors.Add(InvalidParameter.UnknownProperty(prefix + property.Name));
            }
        }
    }

    public List<InvalidParameter> Errors { get; }

    public bool Has(string name) => _body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string? String(string name) => Read(name, JsonValueKind.String, "is_string", "a string", v => v.GetString());

    public bool? Boolean(string name)
    {
        if (!_body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        Errors.Add(InvalidParameter.WrongType(_prefix + name, "is_boolean", "a boolean"));
        return null;
    }

    public int? Integer(string name) => Read(name, JsonValueKind.Number, "is_integer", "an integer", v => v.TryGetInt32(out var i) ? i : (int?)null);

    public JsonElement? Object(string name) => Read(name, JsonValueKind.Object, "is_object", "an object", v => (JsonElement?)v);

    public JsonElement? Array(string name) => Read(name, JsonValueKind.Array, "is_array", "an array", v => (JsonElement?)v);

    /// <summary>A map of string to string (labels).</summary>
    public Dictionary<string, string>? StringMap(string name)
    {
        if (Object(name) is not { } map)
        {
            return null;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.String)
            {
                result[entry.Name] = entry.Value.GetString()!;
            }
            else
            {
                Errors.Add(InvalidParameter.WrongType($"{_prefix}{name}.{entry.Name}", "is_string", "a string"));
            }
        }
        return result;
    }

    private T? Read<T>(string name, JsonValueKind kind, string rule, string expected, Func<JsonElement, T?> convert)
    {
        if (!_body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return default;
        }
        var converted = value.ValueKind == kind ? convert(value) : default;
        if (converted is null)
        {
            Errors.Add(InvalidParameter.WrongType(_prefix + name, rule, expected));
        }
        return converted;
    }
}
