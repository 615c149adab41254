using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Atlas.AppHost.Hosting;

/// <summary>
/// Free TCP ports on the loopback interface. Ports handed out once are not handed out again by this process.
/// </summary>
/// <remarks>
/// A port is handed out free and bound later by whoever asked (a server's process takes seconds to start), so it is
/// taken from below the kernel's ephemeral range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>): a port from inside
/// it can be given to anyone's outgoing connection in the meantime, and the server then fails to bind. Each process
/// walks up from a random start, so two processes asking at once rarely try the same ports. When that range is too
/// small (the ephemeral range set low), the kernel picks (<c>bind</c> to port 0), as before.
/// </remarks>
public static class FreePort
{
    /// <summary>The lowest port handed out below the ephemeral range.</summary>
    public const int Lowest = 20000;

    private static readonly HashSet<int> Given = [];
    private static readonly int EphemeralLow = ReadEphemeralLow();
    private static int _candidate = -1;

    /// <summary>Where the kernel's ephemeral range begins (32768 when it cannot be read).</summary>
    public static int EphemeralRangeStart => EphemeralLow;

    public static int Next()
    {
        lock (Given)
        {
            var span = EphemeralLow - Lowest;
            if (span >= 1000)
            {
                if (_candidate < 0)
                {
                    _candidate = Lowest + Random.Shared.Next(span);
                }

                for (var tried = 0; tried < span; tried++)
                {
                    var port = _candidate;
                    _candidate = port + 1 < EphemeralLow ? port + 1 : Lowest;
                    if (!Given.Contains(port) && CanBind(port))
                    {
                        Given.Add(port);
                        return port;
                    }
                }
            }

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
            if (Given.Contains(port) || !CanBind(port))
            {
                return false;
            }

            Given.Add(port);
            return true;
        }
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int ReadEphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }
}
