using System.Text.Json;

namespace Gatehouse.Sidecar.Hub;

/// <summary>A message of the SignalR hub protocol, as far as a listen-only client cares.</summary>
internal abstract record HubMessage
{
    public const int InvocationType = 1;
    public const int PingType = 6;
    public const int CloseType = 7;
}

/// <summary>Type 1: the server calls <see cref="Target"/>. With an <see cref="InvocationId"/> it expects a completion.</summary>
internal sealed record InvocationMessage(string Target, IReadOnlyList<JsonElement> Arguments, string? InvocationId) : HubMessage;

/// <summary>Type 6: keep-alive; only shows the server is there.</summary>
internal sealed record PingMessage : HubMessage
{
    public static readonly PingMessage Instance = new();
}

/// <summary>Type 7: the server ends the connection, saying why (when it was an error) and whether to come back.</summary>
internal sealed record CloseMessage(string? Error, bool AllowReconnect) : HubMessage;

/// <summary>Any other type (stream items, completions, acks, ...), which a listener has no use for.</summary>
internal sealed record OtherMessage(int Type) : HubMessage;
