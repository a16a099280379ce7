using System.Text.Json;

namespace Gatehouse.Sidecar.Hub;

/// <summary>Reads one hub message (JSON protocol, separator already removed).</summary>
internal static class HubMessageParser
{
    /// <summary>The message; throws <see cref="HubProtocolException"/> for anything that is not a well-formed one.</summary>
    public static HubMessage Parse(ReadOnlyMemory<byte> message)
    {
        using (var document = HubJson.ParseObject(message, "A hub message"))
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.Number || !typeElement.TryGetInt32(out var type))
            {
                throw new HubProtocolException("A hub message has no integer 'type'.");
            }
            return type switch
            {
                HubMessage.InvocationType => Invocation(root),
                HubMessage.PingType => PingMessage.Instance,
                HubMessage.CloseType => Close(root),
                _ => new OtherMessage(type),
            };
        }
    }

    private static InvocationMessage Invocation(JsonElement root)
    {
        if (!root.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.String || target.GetString() is not { Length: > 0 } name)
        {
            throw new HubProtocolException("An invocation has no 'target'.");
        }
        if (!root.TryGetProperty("arguments", out var arguments) || arguments.ValueKind != JsonValueKind.Array)
        {
            throw new HubProtocolException($"The invocation of '{name}' has no 'arguments' array.");
        }
        string? invocationId = null;
        if (root.TryGetProperty("invocationId", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            invocationId = id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : throw new HubProtocolException($"The invocation of '{name}' has a non-string 'invocationId'.");
        }
        // Cloned: they outlive the document.
        return new InvocationMessage(name, [.. arguments.EnumerateArray().Select(a => a.Clone())], invocationId);
    }

    private static CloseMessage Close(JsonElement root)
    {
        string? error = null;
        if (root.TryGetProperty("error", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            error = e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText();
        }
        var allowReconnect = root.TryGetProperty("allowReconnect", out var allow) && allow.ValueKind == JsonValueKind.True;
        return new CloseMessage(error, allowReconnect);
    }
}
