using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Atlas.AppHost.Hosting;

namespace Atlas.Testing;

/// <summary>
/// A RabbitMQ node of the test's own (the Debian rabbitmq-server, no plugins, guest on 127.0.0.1 and a free port),
/// so a test may restart the broker without touching the shared one. Its data folder outlives a restart, so durable
/// queues and persistent messages come back as they would on a real broker restart. It has an Erlang port mapper of
/// its own too (a free port, stopped on dispose): the default one the VM would start as a daemon outlived the tests.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string Control = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly string _folder;
    private readonly string _nodeName;
    private readonly int _distPort;
    private readonly string _epmdPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
    private Process? _process;

    private PrivateRabbitMq(string folder, int port, int distPort)
    {
        _folder = folder;
        Port = port;
        _distPort = distPort;
        _nodeName = string.Create(CultureInfo.InvariantCulture, $"atlasfault{Environment.ProcessId}x{port}@localhost");
    }

    public int Port { get; }

    /// <summary>The connection string of the default virtual host.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"amqp://guest:guest@127.0.0.1:{Port}/");

    public static async Task<PrivateRabbitMq> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("atlas-rabbitmq-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "home"));
        await File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[].");
        var broker = new PrivateRabbitMq(folder, FreePort.Next(), FreePort.Next());
        await broker.StartNodeAsync();
        return broker;
    }

    /// <summary>Stops the node the way a service manager does (SIGTERM) and starts it again on the same data.</summary>
    public async Task RestartAsync()
    {
        await StopNodeAsync();
        await StartNodeAsync();
    }

    /// <summary>Stops the node (SIGTERM) and leaves it down.</summary>
    public Task StopAsync() => StopNodeAsync();

    /// <summary>
    /// The node's queues with their ready and unacknowledged messages and consumer counts (rabbitmqctl), for a failure
    /// message: it tells a consumer that stopped consuming from one that is slow.
    /// </summary>
    public async Task<string> DescribeQueuesAsync()
    {
        try
        {
            return $"queues (name, ready, unacked, consumers):\n{await ControlAsync("list_queues", "name", "messages_ready", "messages_unacknowledged", "consumers")}";
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            // Called while a failure is being reported: say why the listing is missing rather than hide that failure.
            return $"no queue listing: {exception.Message}";
        }
    }

    /// <summary>
    /// Closes every client connection, as a broker does when it is told to (rabbitmqctl close_all_connections): the
    /// clients see their channels shut down while the node stays up.
    /// </summary>
    public Task CloseConnectionsAsync() => ControlAsync("close_all_connections", "closed by the test");

    /// <summary>The number of consumers on <paramref name="queue"/>, or null while the queue does not exist.</summary>
    public async Task<int?> ConsumersOfAsync(string queue)
    {
        var listing = await ControlAsync("list_queues", "name", "consumers");
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var columns = line.Split('\t');
            if (columns.Length == 2 && columns[0] == queue && int.TryParse(columns[1], NumberStyles.None, CultureInfo.InvariantCulture, out var consumers))
            {
                return consumers;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopNodeAsync();
        await StopPortMapperAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process: the temp folder is cleaned up by the OS in time.
        }
    }

    private async Task StartNodeAsync()
    {
        var start = new ProcessStartInfo(Server)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        start.Environment["HOME"] = Path.Combine(_folder, "home");
        start.Environment["RABBITMQ_NODENAME"] = _nodeName;
        start.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        start.Environment["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_DIST_PORT"] = _distPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_folder, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_folder, "log");
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_folder, "enabled_plugins");
        start.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_folder, "no-env");
        start.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(_folder, "no-config");
        start.Environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_folder, "no-advanced.config");
        start.Environment["ERL_CRASH_DUMP"] = Path.Combine(_folder, "erl_crash.dump");
        start.Environment["ERL_EPMD_PORT"] = _epmdPort;
        _process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmq-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var process = _process;
        await Eventually.PollAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"rabbitmq-server exited with {process.ExitCode}; see {_folder}/log.");
                }

                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync("127.0.0.1", Port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            },
            listening => listening,
            StartTimeout);
    }

    private async Task<string> ControlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Control, ["-n", _nodeName, "-q", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = Path.Combine(_folder, "home");
        start.Environment["ERL_EPMD_PORT"] = _epmdPort;
        using var control = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
        var output = control.StandardOutput.ReadToEndAsync();
        var error = control.StandardError.ReadToEndAsync();
        if (!await control.WaitForExitAsync(TimeSpan.FromSeconds(60)))
        {
            control.Kill(entireProcessTree: true);
            throw new TimeoutException($"rabbitmqctl {arguments[0]} did not answer within 60 s.");
        }

        if (control.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {arguments[0]} exited with {control.ExitCode}: {await error}");
        }

        return await output;
    }

    private async Task StopNodeAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            // The server script stops the node cleanly on SIGTERM (Process.Kill would send SIGKILL to the script only).
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            if (!await process.WaitForExitAsync(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
    }

    // The node is down, so no name is registered and the mapper agrees to stop.
    private async Task StopPortMapperAsync()
    {
        var start = new ProcessStartInfo("epmd", ["-kill"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["ERL_EPMD_PORT"] = _epmdPort;
        using var epmd = Process.Start(start) ?? throw new InvalidOperationException("epmd did not start.");
        _ = epmd.StandardOutput.ReadToEndAsync();
        _ = epmd.StandardError.ReadToEndAsync();
        if (!await epmd.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            epmd.Kill();
        }
    }
}
