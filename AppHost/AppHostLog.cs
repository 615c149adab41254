using Microsoft.Extensions.Logging;

namespace Atlas.AppHost;

/// <summary>The AppHost's own log lines (they reach the console and the dashboard's resource logs).</summary>
internal static partial class AppHostLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Exited with code {ExitCode}; not restarting: {Restarts} restarts within {Window} already.")]
    public static partial void RestartsExhausted(ILogger logger, int? exitCode, int restarts, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exited with code {ExitCode}; restarting in {Delay} (restart {Attempt} of at most {Max} within {Window}).")]
    public static partial void Restarting(ILogger logger, int? exitCode, TimeSpan delay, int attempt, int max, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} exited with code {ExitCode}; restart {Attempt} in {Delay}.")]
    public static partial void RestartScheduled(ILogger logger, string resource, int? exitCode, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Restart failed: {Reason}")]
    public static partial void RestartFailed(ILogger logger, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Atlas is ready: all {Count} resources are running and healthy, {Elapsed:0.0} s after the AppHost started.")]
    public static partial void AllHealthy(ILogger logger, int count, double elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready yet, {Elapsed:0} s after the AppHost started: waiting for {Resources} to be running and healthy.")]
    public static partial void StillWaiting(ILogger logger, string resources, double elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} is not healthy yet: state {State} (exit code {ExitCode}), health {Health}; failing checks: {Failing}; its last console lines: {Lines}")]
    public static partial void NotHealthyYet(ILogger logger, string resource, string state, string exitCode, string health, string failing, string lines);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watchdog: the liveness probe has failed for {Seconds:0} s while the process ({Pid}) still runs (hung, not crashed); killing it so it is restarted (watchdog restart {Count}).")]
    public static partial void WatchdogRestarting(ILogger logger, double seconds, int pid, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watchdog: {Resource} hung for {Seconds:0} s; restarting it (watchdog restart {Count}).")]
    public static partial void WatchdogRestart(ILogger logger, string resource, double seconds, int count);
}
