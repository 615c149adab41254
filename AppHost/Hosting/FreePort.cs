using System.Net;
using System.Net.Sockets;

namespace Atlas.AppHost.Hosting;

/// <summary>Free TCP ports on the loopback interface. Ports handed out once are not handed out again by this process.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static bool IsFree(int port)
    {
        lock (Given)
        {
            if (Given.Contains(port))
            {
                return false;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                Given.Add(port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
