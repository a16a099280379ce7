using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>type, enum and const: what kind of value, and which values.</summary>
internal sealed partial class ValidationRun
{
    private const int ShownLength = 120;

    // Messages are read by people, not embedded in HTML: "é+<x>" reads better than "\u00E9\u002B\u003Cx\u003E".
    private static readonly JsonSerializerOptions s_readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private void CheckType(JsonElement type, string at, JsonElement instance, string path)
    {
        // `type: [string, 'null']` is how 3.1 and later JSON Schema drafts say nullable.
        string[] names = type.ValueKind == JsonValueKind.Array
            ? [.. type.EnumerateArray().Select(name => name.GetString() ?? "")]
            : [type.GetString() ?? ""];
        if (!names.Any(name => HasType(instance, name, at)))
        {
            Fail(path, at, $"expected {string.Join(" or ", names)}, got {Describe(instance)}");
        }
    }

    private static bool HasType(JsonElement instance, string type, string at) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && IsInteger(instance),
        _ => throw new InvalidOperationException($"{at} names an unknown type '{type}'."),
    };

    private void CheckEnum(JsonElement values, string at, JsonElement instance, string path)
    {
        if (!values.EnumerateArray().Any(value => JsonElement.DeepEquals(value, instance)))
        {
            Fail(path, at, $"{Show(instance)} is not one of {Show(values)}");
        }
    }

    private void CheckConst(JsonElement value, string at, JsonElement instance, string path)
    {
        if (!JsonElement.DeepEquals(value, instance))
        {
            Fail(path, at, $"{Show(instance)} is not {Show(value)}");
        }
    }

    private static string Describe(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "the string " + Show(instance),
        JsonValueKind.Number => "the number " + Show(instance),
        _ => Show(instance),
    };

    /// <summary>Compact JSON, cut short: enough to recognise a value in a message.</summary>
    private static string Show(JsonElement value)
    {
        var json = JsonSerializer.Serialize(value, s_readable);
        return json.Length <= ShownLength ? json : json[..ShownLength] + "…";
    }
}
