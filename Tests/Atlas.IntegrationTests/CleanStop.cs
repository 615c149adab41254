using System.Diagnostics;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;
using Atlas.Testing;

namespace Atlas.IntegrationTests;

/// <summary>
/// The AppHost as a person runs it, in its own process: Ctrl+C (SIGINT) or SIGTERM to the AppHost, and SIGTERM to
/// <c>dotnet run</c>, each leave no DCP, dashboard, server or service process behind within 30 s; after a SIGKILL the
/// next start stops what was left. Infrastructure only, to keep the run short: the services stop the same way.
/// </summary>
public sealed class CleanStop : IDisposable
{
    private const int SigStop = 19;
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("atlas-stop-").FullName;
    private readonly List<int> _started = [];

    // The servers run as their own users when the tests run as root: they must be able to reach their data folder.
    public CleanStop() => File.SetUnixFileMode(_work, (UnixFileMode)0b111_101_101);

    [Theory]
    [InlineData(Posix.SigInt, false)]
    [InlineData(Posix.SigTerm, false)]
    [InlineData(Posix.SigTerm, true)]
    public async Task A_signal_stops_everything_the_apphost_started(int signal, bool underDotnetRun)
    {
        var data = Path.Combine(_work, "data");
        using var apphost = await StartAsync(data, underDotnetRun);
        OwnerMark.Find(data + "|").Should().NotBeEmpty("the servers are running");

        Posix.Signal(apphost.Id, signal);

        (await apphost.WaitForExitAsync(StopWithin)).Should().BeTrue("the AppHost stops");
        var left = await Eventually.PollAsync(() => Task.FromResult(OwnerMark.Find(data + "|").ToList()), l => l.Count == 0, StopWithin);
        left.Should().BeEmpty();
    }

    [Fact]
    public async Task A_sweep_under_a_folder_prefix_stops_what_gone_owners_left_there_and_nothing_else()
    {
        // What a test host stopped outright leaves: a process marked with a temp data folder and an owner that is gone.
        using var gone = Process.Start("true")!;
        await gone.WaitForExitAsync();
        var prefix = Path.Combine(_work, "tests-");
        using var orphan = StartMarked($"{prefix}a|{gone.Id}");
        using var liveOwner = StartMarked($"{prefix}b|{Environment.ProcessId}");
        using var elsewhere = StartMarked($"{Path.Combine(_work, "other")}|{gone.Id}");

        await OwnerMark.StopOrphansUnderAsync(prefix, TimeSpan.FromSeconds(10), CancellationToken.None);

        (await orphan.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("its owner is gone and its folder is under the prefix");
        liveOwner.HasExited.Should().BeFalse("its owner still runs");
        elsewhere.HasExited.Should().BeFalse("its folder is not under the prefix");
    }

    [Fact]
    public async Task After_a_sigkill_the_next_start_stops_what_was_left_and_comes_up()
    {
        var data = Path.Combine(_work, "data");
        using (var killed = await StartAsync(data, underDotnetRun: false))
        {
            killed.Kill();
            await killed.WaitForExitAsync();
        }

        using var next = await StartAsync(data, underDotnetRun: false);

        OwnerMark.Find(data + "|").Should().OnlyContain(p => p.Owner == next.Id, "what the killed AppHost left is stopped");
        Posix.Signal(next.Id, Posix.SigTerm);
        (await next.WaitForExitAsync(StopWithin)).Should().BeTrue();
    }

    [Fact]
    public async Task A_stuck_orchestrator_does_not_hang_the_stop_the_deadline_stops_what_is_left()
    {
        var data = Path.Combine(_work, "data");
        using var apphost = await StartAsync(data, underDotnetRun: false, "--Atlas:StopDeadlineSeconds=3");
        var orchestrator = OwnerMark.Find(data + "|").Select(p => p.Pid).Where(IsDcp).ToList();
        orchestrator.Should().NotBeEmpty("DCP runs the resources");
        orchestrator.ForEach(pid => Posix.Signal(pid, SigStop));

        Posix.Signal(apphost.Id, Posix.SigTerm);

        (await apphost.WaitForExitAsync(StopWithin)).Should().BeTrue("the deadline ends a stop the orchestrator cannot finish");
        apphost.ExitCode.Should().Be(3, "an overdue stop says so in its exit code");
        OwnerMark.Find(data + "|").Should().BeEmpty("the AppHost stopped what it started itself");
    }

    public void Dispose()
    {
        // An AppHost a failed test left running (its command line names this test's folder).
        foreach (var pid in _started.Where(pid => Posix.IsAlive(pid) && CommandLine(pid).Contains(_work, StringComparison.Ordinal)))
        {
            Posix.Signal(pid, Posix.SigKill);
        }

        foreach (var (pid, _) in OwnerMark.Find(_work))
        {
            Posix.Signal(pid, Posix.SigKill);
        }

        Directory.Delete(_work, recursive: true);
    }

    // A long sleep carrying the owner mark, as a server started by an AppHost does; Dispose stops it by its mark.
    private static Process StartMarked(string mark)
    {
        var start = new ProcessStartInfo("sleep", ["300"]) { UseShellExecute = false };
        start.Environment[OwnerMark.Variable] = mark;
        return Process.Start(start)!;
    }

    // Starts the AppHost build output (or `dotnet run` on the project) and returns once the servers are healthy.
    private async Task<Process> StartAsync(string data, bool underDotnetRun, params string[] extra)
    {
        var envFile = Path.Combine(_work, $"servers-{Guid.NewGuid():N}.env");
        return await AppHostProcess.StartAsync(envFile, underDotnetRun,
        [
            "--infra-only", "--data", data,
            $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort.Next()}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
            "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
            .. extra,
        ], _started);
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static bool IsDcp(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").StartsWith("dcp", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
