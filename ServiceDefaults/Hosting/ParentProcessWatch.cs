using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Hosting;

/// <summary>
/// Aspire starts a project under <c>dotnet run</c>, and when that process is killed it does not take the service with
/// it. With <c>ATLAS_EXIT_WITH_PARENT=true</c> (the AppHost sets it) the service stops itself, gracefully, once its
/// parent is gone, so a stopped or killed stack leaves no service behind.
/// </summary>
internal sealed partial class ParentProcessWatch(IHostApplicationLifetime lifetime, ILogger<ParentProcessWatch> logger) : BackgroundService
{
    public const string Switch = "ATLAS_EXIT_WITH_PARENT";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var parent = getppid();
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (getppid() != parent)
            {
                ParentGone(logger, parent);
                lifetime.StopApplication();
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The process that started this service ({ParentPid}) is gone: stopping.")]
    private static partial void ParentGone(ILogger logger, int parentPid);

    [LibraryImport("libc")]
    private static partial int getppid();
}

internal static class ParentProcessWatchExtensions
{
    public static void ExitWithParentProcess(this IHostApplicationBuilder builder)
    {
        if (string.Equals(builder.Configuration[ParentProcessWatch.Switch], "true", StringComparison.OrdinalIgnoreCase) && OperatingSystem.IsLinux())
        {
            builder.Services.AddHostedService<ParentProcessWatch>();
        }
    }
}
