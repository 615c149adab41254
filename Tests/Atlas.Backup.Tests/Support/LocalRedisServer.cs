using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Atlas.Testing;
using StackExchange.Redis;

namespace Atlas.Backup.Tests.Support;

/// <summary>
/// A redis-server of the test's own on a free loopback port with a data folder of its own, for the RDB mode, which
/// snapshots the server it backs up (the shared test server is never asked to save). Stopped on dispose.
/// </summary>
public sealed class LocalRedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private LocalRedisServer(Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        ConnectionString = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    public string Folder { get; }

    public string ConnectionString { get; }

    public static async Task<LocalRedisServer> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("atlas-backup-test-redis-").FullName;
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder, "--save", "", "--appendonly", "no", "--enable-protected-configs", "yes"])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LocalRedisServer(process, folder, port);
        await Eventually.PollAsync(server.PingsAsync, ok => ok, TimeSpan.FromSeconds(30));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private async Task<bool> PingsAsync()
    {
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
            await connection.GetDatabase().PingAsync();
            return true;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }
}
