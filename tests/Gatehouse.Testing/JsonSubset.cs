using System.Text.Json.Nodes;

namespace Gatehouse.Testing;

/// <summary>Whether what was written survives in what is read back, where the reader may add fields (defaults Kong fills in).</summary>
public static class JsonSubset
{
    /// <summary>
    /// The first place where <paramref name="actual"/> does not hold a value of <paramref name="expected"/>,
    /// described from <paramref name="path"/>; null when every object member of expected, at any depth, is
    /// in actual with the same value. Arrays and scalars must be equal whole.
    /// </summary>
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is JsonObject expectedObject)
        {
            if (actual is not JsonObject actualObject)
            {
                return $"{path}: expected an object, got {actual?.ToJsonString() ?? "null"}";
            }
            foreach (var (key, value) in expectedObject)
            {
                if (FirstDifference(value, actualObject[key], $"{path}.{key}") is { } difference)
                {
                    return difference;
                }
            }
            return null;
        }
        return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}";
    }
}
