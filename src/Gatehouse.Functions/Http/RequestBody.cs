using System.Text.Json;
using Gatehouse.Core.Validation;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Reads a request body as one JSON object, refusing what is not: empty, too large, malformed,
/// duplicated keys, or another JSON type. The refusal names what is wrong.
/// </summary>
internal static class RequestBody
{
    private static readonly JsonElement s_emptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>With <paramref name="emptyIsObject"/>, for endpoints whose every field is optional, no body means <c>{}</c>.</summary>
    public static async Task<JsonElement> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken, bool emptyIsObject = false)
    {
        using var buffer = await ReadAsync(request, ApiJson.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (buffer.Length == 0 && emptyIsObject)
        {
            return s_emptyObject;
        }
        if (buffer.Length == 0)
        {
            throw new RequestInvalidException("Request cannot be empty.", [new InvalidParameter("body", "cannot be empty", "required")]);
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ApiJson.DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new RequestInvalidException("Invalid request format.",
                    [new InvalidParameter("body", $"must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}", "is_object")]);
            }
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new RequestInvalidException("Invalid request format.",
                [new InvalidParameter("body", $"request format is invalid: {e.Message}", "invalid")]);
        }
    }

    /// <summary>The whole body, refused with 413 as soon as it is known to be over <paramref name="limit"/> bytes.</summary>
    public static async Task<MemoryStream> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw new PayloadTooLargeException(limit);
        }
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                await buffer.DisposeAsync().ConfigureAwait(false);
                throw new PayloadTooLargeException(limit);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer;
    }
}

/// <summary>The body is over the endpoint's limit: 413.</summary>
internal sealed class PayloadTooLargeException(int limit) : Exception($"The request body is larger than {limit:N0} bytes.");
