using System.Text.Json.Nodes;

namespace Gatehouse.Testing.Kong;

/// <summary>What a stand-in endpoint answers: a status, Kong's JSON body (none for 304) or a text one, and extra headers.</summary>
internal sealed record KongResponse(int Status, JsonNode? Body = null, IReadOnlyDictionary<string, string>? Headers = null, string? Text = null)
{
    public static KongResponse Message(int status, string message) => new(status, new JsonObject { ["message"] = message });
}
