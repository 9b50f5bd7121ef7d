using System.Net;
using System.Net.Sockets;

namespace Procexon.Testing;

public static class FreePort
{
    // Below Linux's ephemeral range (32768–60999 by default). A port the kernel hands out for "port 0" can be taken
    // again as the local end of any outgoing connection before the server that was told to use it binds it (seen:
    // RabbitMQ failing to start with eaddrinuse); a port below the range is only ever taken by an explicit bind.
    private const int First = 20000;
    private const int Last = 32767;

    private static readonly HashSet<int> s_handedOut = [];

    /// <summary>A loopback port outside the ephemeral range that nobody listens on now and this process has not handed out before.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            lock (s_handedOut)
            {
                if (!s_handedOut.Add(port))
                {
                    continue;
                }
            }

            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last} after 1000 attempts.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.ExclusiveAddressUse = true;
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
