using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Testing;

public static class LoopbackPort
{
    /// <summary>
    /// A loopback port nothing listens on right now: free to hand to a process that must be told
    /// its port, or to point a client at when it should find nobody there.
    /// </summary>
    public static int Unused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
