using System.Net;
using System.Net.Sockets;
using Atlas.AppHost;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Processes;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.Configuration;

namespace Atlas.IntegrationTests;

/// <summary>
/// The whole stack through the AppHost's library entry point, as Aspire's testing builder is used: local servers
/// from the Debian binaries, the five services from their build outputs, and an orderly stop.
/// </summary>
public sealed class AppHostRun
{
    [Fact]
    public async Task Brings_every_service_to_healthy_answers_ping_from_each_and_stops_leaving_nothing_behind()
    {
        var dataRoot = Directory.CreateTempSubdirectory("atlas-it-").FullName;
        var builder = DistributedApplicationBuilder.Create(new AppHostOptions { DataRoot = dataRoot, Persistent = false, EchoResourceLogs = false });
        builder.AddAtlas();
        var app = builder.Build();
        List<int> ports;
        try
        {
            await app.StartAsync();

            app.Resources.Should().OnlyContain(r => r.State == ResourceState.Running);
            ports = [.. app.Resources.Select(r => r.DisplayUrl).OfType<string>().Select(url => new Uri(url.Split(' ')[0]).Port).Distinct()];
            using var http = new HttpClient();
            foreach (var service in AtlasModel.Services)
            {
                using var ready = await http.GetAsync(new Uri(app.GetEndpoint(service), "readyz"));
                ready.StatusCode.Should().Be(HttpStatusCode.OK, $"{service} should be ready");
            }

            await using var bus = await TestBus.StartAsync(app.GetConnectionString("rabbitmq"));
            var pongs = await Task.WhenAll(AtlasModel.Services.Select(service => bus.PingAsync(service, TimeSpan.FromSeconds(30))));
            pongs.Select(p => p.Service).Should().BeEquivalentTo(AtlasModel.Services);
            var botToken = app.Data.Secret("sandbox-bot-token");
            await Answers_help_sent_in_the_sandbox(app.GetEndpoint("sandbox"), botToken);

            var table = ResourceTable.Render(app.Resources);
            table.Should().Contain("gateway").And.Contain("sandbox").And.Contain("http://127.0.0.1:");
            List<string> secrets =
            [
                app.Data.Secret("redis"), app.Data.Secret("postgres"), app.Data.Secret("rabbitmq"),
                botToken, app.Data.Secret("gateway-admin-key"),
            ];
            var serviceOutput = string.Join('\n', app.Resources.OfType<ProjectResource>().SelectMany(r => r.Log!.Tail(400)));
            serviceOutput.Should().Contain("Now listening on", "the services' console output is captured");
            foreach (var secret in secrets)
            {
                table.Should().NotContain(secret);
                serviceOutput.Should().NotContain(secret, "secrets must never reach a log line");
            }
        }
        finally
        {
            await app.DisposeAsync();
        }

        app.Resources.Should().OnlyContain(r => r.State == ResourceState.Stopped);
        ProcessTable.FindOwnedBy(dataRoot + "|").Should().BeEmpty("no server or service process may outlive the AppHost");
        foreach (var port in ports)
        {
            (await Accepts(port)).Should().BeFalse($"port {port} should be closed after the stop");
        }

        Directory.Delete(dataRoot, recursive: true);
    }

    // With no bot token configured the AppHost starts the Sandbox and the gateway talks to it: a user's /help is answered.
    private static async Task Answers_help_sent_in_the_sandbox(Uri sandbox, string botToken)
    {
        using var telegram = new TelegramSandboxClient(sandbox);
        var sent = await telegram.SendMessageAsync(botToken, new SandboxUserMessage { UserId = 4242, FirstName = "Ada", LanguageCode = "en", Text = "/help" });
        var replies = await telegram.WaitForActionsAsync(
            botToken,
            actions => actions.Any(a => a.Ok && a.Parameters["chat_id"]?.GetValue<long>() == 4242),
            method: "sendMessage",
            timeout: TimeSpan.FromSeconds(60));
        replies.Should().Contain(a => a.Ok && a.Parameters["chat_id"]!.GetValue<long>() == 4242, $"update {sent.UpdateId} (/help) should be answered");
    }

    [Fact]
    public async Task A_missing_server_program_stops_the_start_with_the_package_to_install_and_the_key_to_set()
    {
        var emptyPath = Directory.CreateTempSubdirectory("atlas-nopath-").FullName;
        var builder = DistributedApplicationBuilder.Create(new AppHostOptions
        {
            DataRoot = Directory.CreateTempSubdirectory("atlas-it-").FullName,
            Persistent = false,
            EchoResourceLogs = false,
            SearchPath = emptyPath,
        });
        builder.AddRedis("redis");
        await using var app = builder.Build();

        var start = () => app.StartAsync();

        (await start.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("*sudo apt-get install -y redis-server*ConnectionStrings__redis*");
    }

    [Fact]
    public async Task A_configured_connection_string_is_used_instead_of_starting_a_local_server()
    {
        var servers = await RealServers.Shared;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = servers.Redis })
            .Build();
        var dataRoot = Directory.CreateTempSubdirectory("atlas-it-").FullName;
        var builder = DistributedApplicationBuilder.Create(new AppHostOptions
        {
            DataRoot = dataRoot,
            Persistent = false,
            EchoResourceLogs = false,
            Configuration = configuration,
        });
        builder.AddRedis("redis");
        await using var app = builder.Build();

        await app.StartAsync();

        app.GetConnectionString("redis").Should().Be(servers.Redis);
        app.GetResource<Atlas.AppHost.Infrastructure.RedisResource>("redis").DisplayUrl.Should().EndWith("(configured)");
        ProcessTable.FindOwnedBy(dataRoot + "|").Should().BeEmpty("no local redis-server is started");
    }

    [Fact]
    public async Task Start_kills_processes_left_behind_by_an_apphost_that_died()
    {
        using var deadAppHost = System.Diagnostics.Process.Start("true")!;
        await deadAppHost.WaitForExitAsync();
        var orphanStart = new System.Diagnostics.ProcessStartInfo("sleep", "300");
        orphanStart.Environment[ProcessTable.OwnerVariable] = $"/tmp/atlas-gone|{Guid.NewGuid():N}|{deadAppHost.Id}";
        using var orphan = System.Diagnostics.Process.Start(orphanStart)!;
        var builder = DistributedApplicationBuilder.Create(new AppHostOptions
        {
            DataRoot = Directory.CreateTempSubdirectory("atlas-it-").FullName,
            Persistent = false,
            EchoResourceLogs = false,
        });
        await using var app = builder.Build();

        await app.StartAsync();

        (await orphan.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the orphan of a dead AppHost is killed on start");
    }

    private static async Task<bool> Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
