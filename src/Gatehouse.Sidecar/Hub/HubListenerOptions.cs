namespace Gatehouse.Sidecar.Hub;

internal sealed class HubListenerOptions
{
    /// <summary>How often the client pings; the server drops clients it has not heard from for its own timeout (30 s by default).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Nothing heard for this long (the server pings every 15 s by default) means the connection is dead: reconnect.</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The bound on each step of a connection attempt: Gatehouse's negotiate, each hub negotiate hop, the WebSocket connect, the handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);
}
