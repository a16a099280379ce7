using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>Assertions for tests: each throws <see cref="OpenApiAssertionException"/> naming every error and showing the body.</summary>
public static class OpenApiAssert
{
    private const int BodyShown = 2000;
    // For people to read, not to embed in HTML: non-ASCII letters and + < > & stay as they are.
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Asserts that <paramref name="body"/> is valid for the response the spec declares.</summary>
    public static void ValidResponse(OpenApiDocument spec, string method, string pathTemplate, int status, string contentType, JsonElement body) =>
        ThrowIfAny(
            spec.ValidateResponse(method, pathTemplate, status, contentType, body),
            $"The {status} {contentType} body of {method.ToUpperInvariant()} {pathTemplate} does not match the spec",
            body);

    /// <summary>Asserts that a real response's status, content type and JSON body are what the spec declares.</summary>
    public static async Task ValidResponseAsync(
        OpenApiDocument spec, string method, string pathTemplate, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var contentType = response.Content.Headers.ContentType?.ToString()
            ?? throw new OpenApiAssertionException($"The {(int)response.StatusCode} response has no Content-Type.\n{Shown(text)}");
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(text);
        }
        catch (JsonException exception)
        {
            throw new OpenApiAssertionException($"The {(int)response.StatusCode} {contentType} body is not JSON: {exception.Message}\n{Shown(text)}");
        }
        using (json)
        {
            ValidResponse(spec, method, pathTemplate, (int)response.StatusCode, contentType, json.RootElement);
        }
    }

    /// <summary>Asserts that <paramref name="instance"/> is valid for the whole schema document, as for a plain JSON Schema.</summary>
    public static void Valid(JsonSchemaValidator schema, JsonElement instance) =>
        ThrowIfAny(schema.Validate(instance), "The JSON does not match the schema", instance);

    private static void ThrowIfAny(IReadOnlyList<SchemaError> errors, string headline, JsonElement body)
    {
        if (errors.Count == 0)
        {
            return;
        }
        var message = new StringBuilder().Append(headline).Append(": ").Append(errors.Count).AppendLine(errors.Count == 1 ? " error" : " errors");
        foreach (var error in errors)
        {
            message.Append("  ").AppendLine(error.ToString());
        }
        throw new OpenApiAssertionException(message.Append(Shown(JsonSerializer.Serialize(body, s_indented))).ToString());
    }

    private static string Shown(string body) =>
        body.Length <= BodyShown
            ? $"Body:\n{body}"
            : $"Body (the first {BodyShown} of {body.Length} characters):\n{body[..BodyShown]}";
}
