using Atlas.AppHost;
using Atlas.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Atlas.IntegrationTests;

/// <summary>
/// A resource that does not become healthy is explained in the AppHost's console, not just named: its state, the
/// failing check and what it says, and the last lines of the resource's own console (where a server that could not
/// bind its port says so).
/// </summary>
public sealed class NotReadyReportTests : IDisposable
{
    // Prints what a broken server prints, then stays up without ever passing its check.
    private const string StuckServer = """
        import sys, time
        for i in range(30):
            print(f"boot step {i}", flush=True)
        print("listen tcp 127.0.0.1:5672: address already in use", flush=True)
        time.sleep(600)
        """;

    private readonly string _dataRoot = Directory.CreateTempSubdirectory("atlas-notready-").FullName;

    public void Dispose() => Directory.Delete(_dataRoot, recursive: true);

    [Fact]
    public async Task A_resource_that_stays_unhealthy_is_reported_with_its_failing_check_and_its_last_console_lines()
    {
        var script = Path.Combine(_dataRoot, "stuck.py");
        await File.WriteAllTextAsync(script, StuckServer);
        var builder = await SmallModel.CreateAsync(_dataRoot, $"--{ReadyAnnouncer.IntervalKey}=1");
        using var console = new AppHostConsole();
        builder.Services.AddLogging(logging => logging.AddProvider(console));
        builder.Services.AddHealthChecks().AddCheck("stuck_answers", () => HealthCheckResult.Unhealthy("no answer to the AMQP header"));
        builder.AddExecutable("stuck", "/usr/bin/python3", _dataRoot, "-u", script).WithHealthCheck("stuck_answers");
        await using var app = await builder.BuildAsync();
        await app.StartAsync();

        var report = await Eventually.PollAsync(
            () => Task.FromResult(console.Lines.FirstOrDefault(l => l.StartsWith("stuck is not healthy yet", StringComparison.Ordinal)
                && l.Contains("address already in use", StringComparison.Ordinal))),
            line => line is not null, TimeSpan.FromSeconds(60));

        report.Should().Contain("state Running").And.Contain("health Unhealthy")
            .And.Contain("stuck_answers: Unhealthy (no answer to the AMQP header)");
        report.Should().Contain("boot step 29").And.NotContain("boot step 10", "only the last 20 lines are shown");
        console.Lines.Should().Contain(l => l.StartsWith("Not ready yet", StringComparison.Ordinal) && l.Contains("stuck", StringComparison.Ordinal));
    }
}
