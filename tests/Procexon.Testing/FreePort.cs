using System.Net;
using System.Net.Sockets;

namespace Procexon.Testing;

public static class FreePort
{
    private static readonly HashSet<int> s_handedOut = [];

    /// <summary>A loopback port nobody listens on now and this process has not handed out before.</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (s_handedOut)
            {
                // RabbitMQ also needs port+0 for AMQP and another for distribution: keep away from the top of the range.
                if (port < 60000 && s_handedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
