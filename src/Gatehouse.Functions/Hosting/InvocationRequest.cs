using System.Globalization;
using System.Text.Json;

namespace Gatehouse.Functions.Hosting;

/// <summary>
/// The body the Azure Functions host POSTs to a custom handler to invoke a function that is not
/// proxied HTTP: <c>{"Data":{binding: value}, "Metadata":{name: value, …, "sys":{…}}}</c>.
/// The host serialises each value on its own before it serialises the body
/// (azure-functions-host, ScriptInvocationContextExtensions.GetHttpScriptInvocationContextValue):
/// an object arrives as JSON, but anything else arrives as a JSON string holding that value's JSON
/// text — a queue message <c>{"a":1}</c> as <c>"\"{\\\"a\\\":1}\""</c>, a DequeueCount of 2 as
/// <c>"2"</c>, a message id as <c>"\"id\""</c>. The readers below accept both forms.
/// </summary>
internal sealed class InvocationRequest
{
    private readonly JsonElement _data;
    private readonly JsonElement _metadata;

    private InvocationRequest(JsonElement data, JsonElement metadata)
    {
        _data = data;
        _metadata = metadata;
    }

    /// <summary>The request, or null when the body is not the host's invocation shape.</summary>
    public static async Task<InvocationRequest?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("Data", out var data) && data.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("Metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                ? new InvocationRequest(data.Clone(), metadata.Clone())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A binding's value as text: a string unwrapped from the host's extra encoding, an object as its JSON.</summary>
    public string? Data(string binding) => _data.TryGetProperty(binding, out var value) ? Text(value) : null;

    /// <summary>A trigger metadata value (<c>Id</c>, <c>DequeueCount</c>, …) as text.</summary>
    public string? Metadata(string name) => _metadata.TryGetProperty(name, out var value) ? Text(value) : null;

    /// <summary>A whole-number trigger metadata value, sent as a number or as its text.</summary>
    public long? MetadataNumber(string name) =>
        long.TryParse(Metadata(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string? Text(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                // Each round of the host's encoding wraps the text in one more JSON string literal.
                while (text.Length >= 2 && text[0] == '"' && text[^1] == '"' && TryUnquote(text, out var inner))
                {
                    text = inner;
                }
                return text;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            default:
                return value.GetRawText();
        }
    }

    private static bool TryUnquote(string literal, out string inner)
    {
        try
        {
            inner = JsonSerializer.Deserialize<string>(literal)!;
            return true;
        }
        catch (JsonException)
        {
            inner = literal;
            return false;
        }
    }
}
