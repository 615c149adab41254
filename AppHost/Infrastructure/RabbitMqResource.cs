using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Processes;
using Microsoft.Extensions.Configuration;

namespace Atlas.AppHost.Infrastructure;

/// <summary>
/// RabbitMQ: a configured broker, or rabbitmq-server run locally (as the <c>rabbitmq</c> user when root) with its
/// own node name, ports, Erlang port mapper and the management plugin, so nothing is shared with a system broker.
/// </summary>
public sealed class RabbitMqResource(string name) : Resource(name), IResourceWithConnectionString
{
    private const string ServerUser = "rabbitmq";
    private const string User = "atlas";
    private string? _connectionString;
    private string _display = "";
    private Dictionary<string, string>? _erlangEnvironment;

    public override string Kind => "rabbitmq";

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException($"{Name} has not started.");

    public override string? DisplayUrl => _display;

    /// <summary>The management HTTP API and UI (local broker only): tests create a virtual host each through it.</summary>
    public Uri? ManagementUrl { get; private set; }

    internal override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var configured = context.Options.Configuration.GetConnectionString(Name);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _connectionString = configured;
            var uri = new Uri(configured);
            var configuredPort = uri.Port > 0 ? uri.Port : 5672;
            _display = $"amqp://{uri.Host}:{configuredPort} (configured)";
            var managementUrl = context.Options.Configuration.GetConnectionString($"{Name}-management");
            ManagementUrl = string.IsNullOrWhiteSpace(managementUrl) ? null : new Uri(managementUrl);
            await Readiness.WaitAsync(token => Readiness.TcpAcceptsAsync(uri.Host, configuredPort, token), null, context, Name, cancellationToken).ConfigureAwait(false);
            return;
        }

        var server = ServerBinaries.RabbitMqServer() ?? throw ServerBinaries.Missing(Name, "rabbitmq-server", "rabbitmq-server");
        var folder = context.Data.For(Name);
        foreach (var sub in (string[])["mnesia", "log", "home"])
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
        }

        var amqpPort = context.Data.Port(Name);
        var managementPort = context.Data.Port($"{Name}-management");
        var password = context.Data.Secret(Name);
        var configFile = Path.Combine(folder, "rabbitmq.conf");
        await PrivateFile.WriteAsync(configFile, string.Join('\n',
            $"listeners.tcp.default = 127.0.0.1:{amqpPort}",
            $"default_user = {User}",
            $"default_pass = {password}",
            "loopback_users = none",
            $"management.tcp.ip = 127.0.0.1",
            $"management.tcp.port = {managementPort}",
            context.Options.Persistent ? "" : "disk_free_limit.absolute = 50MB") + "\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[rabbitmq_management].\n", cancellationToken).ConfigureAwait(false);
        await ServerBinaries.GiveToAsync(ServerUser, folder, cancellationToken).ConfigureAwait(false);

        _erlangEnvironment = new Dictionary<string, string>
        {
            ["HOME"] = Path.Combine(folder, "home"),
            ["ERL_EPMD_PORT"] = context.Data.Port($"{Name}-epmd").ToString(CultureInfo.InvariantCulture),
        };
        var environment = new Dictionary<string, string?>(_erlangEnvironment.ToDictionary(e => e.Key, e => (string?)e.Value))
        {
            ["RABBITMQ_NODENAME"] = $"atlas-{Name}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = context.Data.Port($"{Name}-dist").ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log"),
            ["RABBITMQ_CONFIG_FILE"] = configFile,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins"),
            ["RABBITMQ_LOGS"] = "-",
            [ProcessTable.OwnerVariable] = context.Owner,
        };

        _connectionString = $"amqp://{User}:{Uri.EscapeDataString(password)}@127.0.0.1:{amqpPort}/";
        _display = $"amqp://127.0.0.1:{amqpPort}";
        ManagementUrl = new Uri($"http://127.0.0.1:{managementPort}/");
        Process = ManagedProcess.Start(server, [], environment, folder, context.Log, ServerUser);

        using var http = ManagementClient(password);
        await Readiness.WaitAsync(async token =>
            await Readiness.TcpAcceptsAsync("127.0.0.1", amqpPort, token).ConfigureAwait(false)
            && await ManagementAnswersAsync(http, token).ConfigureAwait(false), Process, context, Name, cancellationToken).ConfigureAwait(false);
    }

    internal override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Process is null)
        {
            return;
        }

        // The start script waits on the Erlang VM without forwarding signals, so SIGTERM goes to beam itself.
        var beam = ProcessTable.ChildrenOf(Process.Id).FirstOrDefault(pid => ProcessTable.CommandName(pid)?.StartsWith("beam", StringComparison.Ordinal) == true);
        await StopProcessAsync(Posix.SigTerm, TimeSpan.FromSeconds(30), beam == 0 ? null : beam).ConfigureAwait(false);

        // Our private Erlang port mapper outlives the broker unless told to go.
        var epmd = ServerBinaries.OnPath("epmd");
        if (epmd is not null && _erlangEnvironment is not null)
        {
            try
            {
                await ServerBinaries.RunAsync(epmd, ["-kill"], cancellationToken, _erlangEnvironment).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Not running: nothing to stop.
            }
        }
    }

    private HttpClient ManagementClient(string password)
    {
        var http = new HttpClient { BaseAddress = ManagementUrl, Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}")));
        return http;
    }

    private static async Task<bool> ManagementAnswersAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("api/health/checks/virtual-hosts", cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
