using Atlas.AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atlas.AppHost.Hosting;

/// <summary>
/// A bound on how long stopping may take. Once a stop is asked for (Ctrl+C, SIGTERM), the orchestrator gets
/// <c>Atlas:StopDeadlineSeconds</c> (default 15) to stop everything; past that, the AppHost stops what still carries its
/// mark itself (TERM, then KILL) and exits with code 3, so a stuck orchestrator never leaves a hung AppHost or servers.
/// </summary>
internal sealed partial class StopDeadline : IDisposable
{
    private const int ExitCode = 3;
    private readonly Timer _timer;

    private StopDeadline(IServiceProvider services, string dataRoot, TimeSpan deadline)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<StopDeadline>();
        _timer = new Timer(_ =>
        {
            Overdue(logger, deadline.TotalSeconds);
            OwnerMark.StopLeftovers(dataRoot);
            Environment.Exit(ExitCode);
        });
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => _timer.Change(deadline, Timeout.InfiniteTimeSpan));
    }

    /// <summary>Arms the deadline for <paramref name="app"/>; dispose once it has stopped in time.</summary>
    public static StopDeadline? Arm(DistributedApplication app, AtlasHostSettings settings)
    {
        // Only in the AppHost's own process: Aspire's testing builder runs this entry point inside the test host,
        // where exiting the process would end the whole test run.
        if (System.Reflection.Assembly.GetEntryAssembly() != typeof(StopDeadline).Assembly)
        {
            return null;
        }

        var seconds = app.Services.GetRequiredService<IConfiguration>().GetValue("Atlas:StopDeadlineSeconds", 15);
        return new StopDeadline(app.Services, settings.Data.Root, TimeSpan.FromSeconds(Math.Max(1, seconds)));
    }

    public void Dispose() => _timer.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "Not stopped {Seconds} s after the stop was asked for: stopping what is left and exiting.")]
    private static partial void Overdue(ILogger logger, double seconds);
}
