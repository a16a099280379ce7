using System.Text.Json;
using Azure;
using Azure.Core;

namespace Gatehouse.Azure.SignalR;

/// <summary>
/// Reads the service's error body, an ErrorDetail <c>{"code","message",…}</c> at the top level (the
/// REST swagger), or the <c>{"error":{…}}</c> envelope other Azure services use.
/// </summary>
internal sealed class SignalRErrorParser : RequestFailedDetailsParser
{
    public static SignalRErrorParser Shared { get; } = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        error = null;
        var content = response.Content;
        if (content is null || content.ToMemory().IsEmpty)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            if (root.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                root = inner;
            }
            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            error = code is null && message is null ? null : new ResponseError(code, message);
            return error is not null;
        }
        catch (JsonException)
        {
            // Not the service's body (a gateway's page, say): the status says enough.
            return false;
        }
    }
}
