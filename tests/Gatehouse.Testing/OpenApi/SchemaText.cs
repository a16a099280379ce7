using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>Schema documents as JSON elements, whether written in JSON or YAML.</summary>
internal static class SchemaText
{
    public static JsonElement Load(string path) => Parse(File.ReadAllText(path));

    // A document that opens with `{` or `[` is read as JSON: YAML could read it too, but the JSON
    // reader reports JSON mistakes as such. So a YAML document written all in flow style must be JSON.
    public static JsonElement Parse(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.StartsWith("{") || trimmed.StartsWith("["))
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.Clone();
        }
        return JsonSerializer.SerializeToElement(YamlJson.Parse(text));
    }
}
