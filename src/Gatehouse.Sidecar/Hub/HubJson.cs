using System.Text.Json;

namespace Gatehouse.Sidecar.Hub;

/// <summary>What the JSON hub protocol sends, handshake reply and messages alike: one JSON object.</summary>
internal static class HubJson
{
    /// <summary>
    /// The document (the caller disposes it); throws <see cref="HubProtocolException"/> naming
    /// <paramref name="what"/> ("A hub message") when it is not JSON or not an object.
    /// </summary>
    public static JsonDocument ParseObject(ReadOnlyMemory<byte> utf8, string what)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException e)
        {
            throw new HubProtocolException($"{what} is not JSON.", e);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new HubProtocolException($"{what} is a JSON {kind}, not an object.");
        }
        return document;
    }
}
