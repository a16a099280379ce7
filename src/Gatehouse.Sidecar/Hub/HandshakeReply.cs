using System.Text.Json;

namespace Gatehouse.Sidecar.Hub;

/// <summary>The server's answer to the handshake: <c>{}</c>, or <c>{"error":"..."}</c> when it refuses the protocol.</summary>
internal static class HandshakeReply
{
    /// <summary>Returns when the server accepted; throws <see cref="HubProtocolException"/> with its error, or when the reply is malformed.</summary>
    public static void Check(ReadOnlyMemory<byte> reply)
    {
        using (var document = HubJson.ParseObject(reply, "The handshake reply"))
        {
            var root = document.RootElement;
            // A hub message instead of the reply means a server that skipped the handshake: not one we can trust to follow the protocol.
            if (root.TryGetProperty("type", out _))
            {
                throw new HubProtocolException("The server sent a hub message before its handshake reply.");
            }
            if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                throw new HubProtocolException($"The server refused the handshake: {(error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText())}");
            }
        }
    }
}
