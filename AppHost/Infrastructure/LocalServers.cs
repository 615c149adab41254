using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using Atlas.AppHost.Hosting;

namespace Atlas.AppHost.Infrastructure;

/// <summary>
/// The three local-server resources: Debian's redis-server, PostgreSQL and rabbitmq-server started by Aspire's
/// orchestrator as executables, each with a fixed loopback port and a generated password kept in the data folder, a
/// connection string expression, and a health check that <c>WaitFor</c> waits on.
/// </summary>
internal static class LocalServers
{
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name, string binary, AtlasHostSettings settings)
    {
        var (folder, port, secret, password) = Prepare(builder, name, settings);
        var configFile = Path.Combine(folder, "redis.conf");
        return builder.AddResource(new LocalRedisResource(name, binary, folder, password.Resource))
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithArgs(configFile)
            .WithEnvironment(OwnerMark.Variable, settings.OwnerMark)
            .WithServerHealthCheck(builder, ct => ServerHealthChecks.RedisAsync(port, secret, ct))
            .OnBeforeResourceStarted((_, _, ct) => PrivateFile.WriteAsync(configFile, string.Join('\n',
                $"port {port}",
                "bind 127.0.0.1",
                "protected-mode yes",
                "daemonize no",
                "set-proc-title no", // a new title overwrites /proc/<pid>/environ, where the owner mark lives
                $"dir {folder}",
                $"requirepass {secret}",
                settings.Persistent ? "save 60 1" : "save \"\"",
                "appendonly no",
                "logfile \"\"") + "\n", ct));
    }

    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, string bin, AtlasHostSettings settings)
    {
        const string serverUser = "postgres";
        var (folder, port, secret, password) = Prepare(builder, name, settings);
        var dataDirectory = Path.Combine(folder, "data");
        List<string> arguments =
        [
            "-D", dataDirectory, "-p", port.ToString(CultureInfo.InvariantCulture), "-h", "127.0.0.1", "-k", folder,
            "-c", "logging_collector=off", "-c", "max_connections=300",
        ];
        if (!settings.Persistent)
        {
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        // SIGTERM is PostgreSQL's "smart" shutdown, which waits for pooled clients; SIGINT is the fast one.
        var (command, args) = ServerLaunch.Command(Path.Combine(bin, "postgres"), arguments, "INT", signalChildren: false, serverUser);
        var admin = $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username={LocalPostgresResource.AdminUser};Password={secret};Database=postgres";
        return builder.AddResource(new LocalPostgresResource(name, command, folder, password.Resource))
            .WithArgs(args)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithEnvironment(OwnerMark.Variable, settings.OwnerMark)
            .WithServerHealthCheck(builder, ct => ServerHealthChecks.PostgresAsync(admin, null, ct))
            .OnBeforeResourceStarted(async (_, _, ct) =>
            {
                if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
                {
                    await InitialisePostgresAsync(bin, folder, dataDirectory, secret, serverUser, ct).ConfigureAwait(false);
                }

                await ServerBinaries.GiveToAsync(serverUser, folder, ct).ConfigureAwait(false);
            });
    }

    public static IResourceBuilder<LocalRabbitMqResource> AddLocalRabbitMQ(this IDistributedApplicationBuilder builder, string name, string server, AtlasHostSettings settings)
    {
        const string serverUser = "rabbitmq";
        var (folder, port, secret, password) = Prepare(builder, name, settings);
        var data = settings.Data;
        var managementPort = data.Port($"{name}-management");
        var epmdPort = data.Port($"{name}-epmd").ToString(CultureInfo.InvariantCulture);
        var configFile = Path.Combine(folder, "rabbitmq.conf");
        var pluginsFile = Path.Combine(folder, "enabled_plugins");
        var management = new Uri($"http://127.0.0.1:{managementPort.ToString(CultureInfo.InvariantCulture)}/");

        // The start script waits on the Erlang VM without passing signals on: TERM goes to the VM too. The private
        // Erlang port mapper (ERL_EPMD_PORT) the VM starts as a daemon outlives it: once the VM has exited, the launcher
        // stops it (epmd -kill; no node is registered by then), and the AppHost's sweep of what carries its mark is the
        // backstop when the launcher itself was killed.
        var (command, args) = ServerLaunch.Command(server, [], "TERM", signalChildren: true, serverUser, afterExit: "epmd -kill");
        return builder.AddResource(new LocalRabbitMqResource(name, command, folder, password.Resource))
            .WithArgs(args)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithEndpoint(port: managementPort, targetPort: managementPort, scheme: "http", name: "management", isProxied: false)
            .WithEnvironment(OwnerMark.Variable, settings.OwnerMark)
            .WithEnvironment("HOME", Path.Combine(folder, "home"))
            .WithEnvironment("ERL_EPMD_PORT", epmdPort)
            .WithEnvironment("RABBITMQ_NODENAME", $"atlas-{name}@localhost")
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", port.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", data.Port($"{name}-dist").ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(folder, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(folder, "log"))
            .WithEnvironment("RABBITMQ_CONFIG_FILE", configFile)
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", pluginsFile)
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithServerHealthCheck(builder, ct => ServerHealthChecks.RabbitMqAsync(port, management, ct))
            .OnBeforeResourceStarted(async (_, _, ct) =>
            {
                foreach (var sub in (string[])["mnesia", "log", "home"])
                {
                    Directory.CreateDirectory(Path.Combine(folder, sub));
                }

                await PrivateFile.WriteAsync(configFile, string.Join('\n',
                    $"listeners.tcp.default = 127.0.0.1:{port}",
                    $"default_user = {LocalRabbitMqResource.User}",
                    $"default_pass = {secret}",
                    "loopback_users = none",
                    "management.tcp.ip = 127.0.0.1",
                    $"management.tcp.port = {managementPort}",
                    settings.Persistent ? "" : "disk_free_limit.absolute = 50MB") + "\n", ct).ConfigureAwait(false);
                await File.WriteAllTextAsync(pluginsFile, "[rabbitmq_management].\n", ct).ConfigureAwait(false);
                await ServerBinaries.GiveToAsync(serverUser, folder, ct).ConfigureAwait(false);
            });
    }

    /// <summary>A database on <paramref name="server"/>: its health check creates it when it is missing, then checks it answers.</summary>
    public static IResourceBuilder<AtlasDatabaseResource> AddAtlasDatabase(
        this IDistributedApplicationBuilder builder, IResourceBuilder<IResourceWithConnectionString> server, string name, string databaseName)
    {
        var database = builder.AddResource(new AtlasDatabaseResource(name, server.Resource, databaseName));
        database.WithServerHealthCheck(builder, async ct =>
            await ServerHealthChecks.PostgresAsync(await server.Resource.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false) ?? "", databaseName, ct).ConfigureAwait(false));
        // Aspire passes a parent's state on to its children only for containers: a database on an executable or a
        // configured server says for itself that it is running once its server is healthy, and its check then creates it.
        database.OnInitializeResource((resource, e, ct) =>
        {
            _ = Task.Run(async () =>
            {
                if (server.Resource is not ParameterResource)
                {
                    await e.Notifications.WaitForResourceHealthyAsync(server.Resource.Name, ct).ConfigureAwait(false);
                }

                await e.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
            }, ct);
            return Task.CompletedTask;
        });
        return database;
    }

    private static IResourceBuilder<T> WithServerHealthCheck<T>(this IResourceBuilder<T> resource, IDistributedApplicationBuilder builder, Func<CancellationToken, Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult>> check)
        where T : IResource
    {
        var key = $"{resource.Resource.Name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, check);
        return resource.WithHealthCheck(key);
    }

    private static (string Folder, int Port, string Secret, IResourceBuilder<ParameterResource> Password) Prepare(IDistributedApplicationBuilder builder, string name, AtlasHostSettings settings)
    {
        var secret = settings.Data.Secret(name);
        var password = builder.AddParameter($"{name}-password", () => secret, secret: true);
        return (settings.Data.For(name), settings.Data.Port(name), secret, password);
    }

    private static async Task InitialisePostgresAsync(string bin, string folder, string dataDirectory, string password, string serverUser, CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(folder, "initdb.pw");
        await PrivateFile.WriteAsync(passwordFile, password, cancellationToken).ConfigureAwait(false);
        await ServerBinaries.GiveToAsync(serverUser, folder, cancellationToken).ConfigureAwait(false);
        try
        {
            var initdb = Path.Combine(bin, "initdb");
            string[] arguments =
            [
                "-D", dataDirectory, "-U", LocalPostgresResource.AdminUser, $"--pwfile={passwordFile}", "--auth-host=scram-sha-256",
                "--auth-local=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions",
            ];
            await (Posix.IsRoot
                ? ServerBinaries.RunAsync("setpriv", [$"--reuid={serverUser}", $"--regid={serverUser}", "--init-groups", "--", initdb, .. arguments], cancellationToken)
                : ServerBinaries.RunAsync(initdb, arguments, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }
}
