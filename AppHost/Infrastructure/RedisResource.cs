using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Processes;
using Microsoft.Extensions.Configuration;

namespace Atlas.AppHost.Infrastructure;

/// <summary>Redis: a configured server, or redis-server run locally with a generated password.</summary>
public sealed class RedisResource(string name) : Resource(name), IResourceWithConnectionString
{
    private string? _connectionString;
    private string _display = "";

    public override string Kind => "redis";

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException($"{Name} has not started.");

    public override string? DisplayUrl => _display;

    internal override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var configured = context.Options.Configuration.GetConnectionString(Name);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _connectionString = configured;
            var endpoint = configured.Split(',')[0].Split(':');
            var port = endpoint.Length > 1 ? int.Parse(endpoint[1], CultureInfo.InvariantCulture) : 6379;
            _display = $"redis://{endpoint[0]}:{port} (configured)";
            await Readiness.WaitAsync(token => Readiness.TcpAcceptsAsync(endpoint[0], port, token), null, context, Name, cancellationToken).ConfigureAwait(false);
            return;
        }

        var server = ServerBinaries.OnPath("redis-server", context.Options.SearchPath) ?? throw ServerBinaries.Missing(Name, "redis-server", "redis-server");
        var folder = context.Data.For(Name);
        var localPort = context.Data.Port(Name);
        var password = context.Data.Secret(Name);
        var configFile = Path.Combine(folder, "redis.conf");
        await PrivateFile.WriteAsync(configFile, string.Join('\n',
            $"port {localPort}",
            "bind 127.0.0.1",
            "protected-mode yes",
            "daemonize no",
            "set-proc-title no", // a new title overwrites /proc/<pid>/environ, where the AppHost's owner mark lives
            $"dir {folder}",
            $"requirepass {password}",
            context.Options.Persistent ? "save 60 1" : "save \"\"",
            "appendonly no",
            "logfile \"\""), cancellationToken).ConfigureAwait(false);

        _connectionString = $"127.0.0.1:{localPort},password={password}";
        _display = $"redis://127.0.0.1:{localPort}";
        var environment = new Dictionary<string, string?> { [ProcessTable.OwnerVariable] = context.Owner };
        Process = ManagedProcess.Start(server, [configFile], environment, folder, context.Log);
        await Readiness.WaitAsync(token => AnswersPingAsync(localPort, password, token), Process, context, Name, cancellationToken).ConfigureAwait(false);
    }

    internal override async Task StopAsync(CancellationToken cancellationToken)
    {
        await StopProcessAsync(Posix.SigTerm, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
    }

    private static async Task<bool> AnswersPingAsync(int port, string password, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {password}\r\nPING\r\n"), cancellationToken).ConfigureAwait(false);
            var buffer = new byte[64];
            var text = new StringBuilder();
            while (!text.ToString().Contains("PONG", StringComparison.Ordinal) && !text.ToString().Contains("-ERR", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return text.ToString().Contains("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
