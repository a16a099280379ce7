namespace Gatehouse.Sidecar.Hub;

/// <summary>The server broke the protocol (or refused us in it): the connection is given up and a new one made.</summary>
internal sealed class HubProtocolException(string message, Exception? inner = null) : Exception(message, inner);
