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
    private const string ReadyLine = "ready to accept connections";
    private readonly Process _process;
    private readonly DirectoryInfo _folder;

    private PrivateRedis(Process process, DirectoryInfo folder, ConnectionMultiplexer connection)
    {
        _process = process;
        _folder = folder;
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
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            Append(log, e.Data);
            if (e.Data?.Contains(ReadyLine, StringComparison.OrdinalIgnoreCase) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitReadyAsync(process, ready.Task, log, time, cancellationToken).ConfigureAwait(false);
            var options = new ConfigurationOptions
            {
                EndPoints = { { IPAddress.Loopback, port } }, AbortOnConnectFail = true, ConnectRetry = 3, ConnectTimeout = 2000, AllowAdmin = true,
            };
            var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            return new PrivateRedis(process, folder, connection);
        }
        catch (RedisConnectionException exception)
        {
            await StopAsync(process, folder).ConfigureAwait(false);
            throw new InvalidOperationException($"redis-server reported ready but refused the connection ({exception.Message}): {LogTail(log)}", exception);
        }
        catch
        {
            await StopAsync(process, folder).ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().ConfigureAwait(false);
        await StopAsync(_process, _folder).ConfigureAwait(false);
    }

    /// <summary>
    /// redis-server loads the RDB file before it logs that it accepts connections, so that line (on stdout, as it logs
    /// there without a log file) says the data is there; its exit first says it could not load it.
    /// </summary>
    private static async Task WaitReadyAsync(Process process, Task ready, StringBuilder log, TimeProvider time, CancellationToken cancellationToken)
    {
        var exited = process.WaitForExitAsync(cancellationToken);
        try
        {
            await Task.WhenAny(ready, exited).WaitAsync(StartTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"redis-server did not load the RDB file within {StartTimeout.TotalMinutes:0} min: {LogTail(log)}");
        }

        if (!ready.IsCompleted)
        {
            await exited.ConfigureAwait(false);
            throw new InvalidOperationException($"redis-server could not load the RDB file (exit code {process.ExitCode}): {LogTail(log)}");
        }
    }

    private static async Task StopAsync(Process process, DirectoryInfo folder)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        process.Dispose();
        folder.Delete(recursive: true);
    }

    private static string LogTail(StringBuilder log)
    {
        lock (log)
        {
            var text = log.ToString().Trim();
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
