using System.Diagnostics;
using System.Globalization;
using Atlas.AppHost.Commands;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Restarts;

namespace Atlas.IntegrationTests;

/// <summary>
/// The hung-service watchdog on a small model: the AppHost's own supervisors and one executable resource (a tiny
/// HTTP server with <c>/alive</c>) instead of the whole stack. SIGSTOP is the honest "hung": the process is there,
/// it just does not answer.
/// </summary>
public sealed class WatchdogTests : IDisposable
{
    private const string AliveServer = """
        import http.server, os
        class Alive(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200 if self.path == "/alive" else 404)
                self.end_headers()
                self.wfile.write(b"ok")
            def log_message(self, *args):
                pass
        http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Alive).serve_forever()
        """;

    private readonly string _dataRoot = Directory.CreateTempSubdirectory("atlas-watchdog-").FullName;

    public void Dispose() => Directory.Delete(_dataRoot, recursive: true);

    [Fact]
    public async Task A_hung_service_is_killed_restarted_counted_and_healthy_again()
    {
        var script = Path.Combine(_dataRoot, "alive.py");
        await File.WriteAllTextAsync(script, AliveServer);
        var builder = await SmallModel.CreateAsync(_dataRoot);
        var port = FreePort.Next();
        builder.AddExecutable("hangs", "/usr/bin/python3", _dataRoot, script)
            .WithHttpEndpoint(port: port, targetPort: port, env: "PORT", isProxied: false)
            .WithHttpHealthCheck("/alive")
            .WithRestartPolicy(initialDelay: TimeSpan.FromMilliseconds(200))
            .WithWatchdog(hungAfter: TimeSpan.FromSeconds(3), interval: TimeSpan.FromSeconds(1), startupGrace: TimeSpan.FromSeconds(30));
        await using var app = await builder.BuildAsync();
        await app.StartAsync();
        var notifications = app.ResourceNotifications;
        await notifications.WaitForResourceHealthyAsync("hangs").WaitAsync(TimeSpan.FromSeconds(60));
        notifications.TryGetCurrentState("hangs", out var before).Should().BeTrue();
        var pid = Pid(before!);

        using (var stop = Process.Start("kill", ["-STOP", pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await stop.WaitForExitAsync();
        }

        var restarted = await notifications.WaitForResourceAsync("hangs", e => e.Snapshot.State?.Text == KnownResourceStates.Running
                && Pid(e) != pid && e.Snapshot.Properties.Any(p => p.Name == WatchdogAnnotation.RestartsProperty && Convert.ToInt32(p.Value, CultureInfo.InvariantCulture) == 1))
            .WaitAsync(TimeSpan.FromSeconds(60));
        await notifications.WaitForResourceHealthyAsync("hangs", WaitBehavior.WaitOnResourceUnavailable).WaitAsync(TimeSpan.FromSeconds(60));

        File.Exists($"/proc/{pid}/stat").Should().BeFalse("the hung process was killed, not left behind");
        restarted.Snapshot.Properties.Should().Contain(p => p.Name == RestartPolicyAnnotation.RestartsProperty, "the restart policy brought it back");
        using var http = new HttpClient();
        (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/alive"))).IsSuccessStatusCode.Should().BeTrue();
    }

    [Fact]
    public async Task Every_service_has_the_watchdog_and_the_gateway_the_rotate_bot_token_command()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Atlas_AppHost>(["--data", Path.Combine(_dataRoot, "model"), "--ephemeral"]);

        var services = builder.Resources.OfType<ProjectResource>().Where(r => r.Name != "sandbox").ToList();
        services.Select(s => s.Name).Should().Contain(["gateway", "moderation", "llmrouter", "workflow", "backup"]);
        services.Should().OnlyContain(s => s.Annotations.OfType<WatchdogAnnotation>().Any(w => w.HungAfter == TimeSpan.FromSeconds(30) && w.Path == "/alive"));
        var gateway = services.Single(s => s.Name == "gateway");
        var rotate = gateway.Annotations.OfType<ResourceCommandAnnotation>().Single(c => c.Name == BotTokenCommand.Name);
        rotate.Arguments.Should().ContainSingle(a => a.Name == "token" && a.InputType == InputType.SecretText);
    }

    private static int Pid(ResourceEvent resource) =>
        Convert.ToInt32(resource.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture);
}
