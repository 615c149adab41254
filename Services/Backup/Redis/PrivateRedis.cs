using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace Atlas.Backup.Redis;

/// <summary>
/// A throw-away redis-server of our own that loads one RDB file, on a free loopback port, without persistence; the
/// way an RDB artifact is read back (its keys are then copied with DUMP/RESTORE). Stopped and its folder removed on dispose.
/// </summary>
internal sealed class PrivateRedis : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly StringBuilder _log;

    private PrivateRedis(Process process, DirectoryInfo folder, StringBuilder log, ConnectionMultiplexer connection)
    {
        _process = process;
        _folder = folder;
        _log = log;
        Connection = connection;
    }

    public ConnectionMultiplexer Connection { get; }

    public IServer Server => Connection.GetServers()[0];

    /// <summary>Starts redis-server on <paramref name="rdbFile"/> (moved into the server's folder) and waits until it has loaded it.</summary>
    public static async Task<PrivateRedis> StartAsync(string serverPath, string rdbFile, TimeProvider time, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("atlas-backup-redis-");
        File.Move(rdbFile, Path.Combine(folder.FullName, "dump.rdb"));
        var port = FreePort();
        var info = new ProcessStartInfo(serverPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder.FullName,
            "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no", "--daemonize", "no"])
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{serverPath} did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            folder.Delete(recursive: true);
            throw new InvalidOperationException(
                $"{serverPath} could not be started ({exception.Message}); reading an RDB backup needs redis-server (Debian: redis-server) or Backup:RedisServerPath.", exception);
        }

        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var options = new ConfigurationOptions { EndPoints = { { IPAddress.Loopback, port } }, AbortOnConnectFail = false, AllowAdmin = true, ConnectTimeout = 2000 };
        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        var redis = new PrivateRedis(process, folder, log, connection);
        try
        {
            await redis.WaitLoadedAsync(time, cancellationToken).ConfigureAwait(false);
            return redis;
        }
        catch
        {
            await redis.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().ConfigureAwait(false);
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _process.Dispose();
        _folder.Delete(recursive: true);
    }

    private async Task WaitLoadedAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server could not load the RDB file (exit code {_process.ExitCode}): {LogTail()}");
            }

            if (Connection.IsConnected)
            {
                try
                {
                    var persistence = (await Server.InfoAsync("persistence").ConfigureAwait(false)).SelectMany(g => g);
                    if (persistence.Any(e => e.Key == "loading" && e.Value == "0"))
                    {
                        return;
                    }
                }
                catch (RedisException)
                {
                    // LOADING, or not accepting yet: poll again.
                }
            }

            if (time.GetElapsedTime(started) > StartTimeout)
            {
                throw new TimeoutException($"redis-server did not load the RDB file within {StartTimeout.TotalMinutes:0} min: {LogTail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private string LogTail()
    {
        lock (_log)
        {
            var text = _log.ToString().Trim();
            return text.Length > 2000 ? text[^2000..] : text;
        }
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
