using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atlas.AppHost.Restarts;

/// <summary>
/// Watches every resource with a <see cref="RestartPolicyAnnotation"/>. When one that was running ends without anyone
/// asking it to stop, it is started again after the policy's backoff (a service never ends on its own: a zero exit
/// code, e.g. after a background service failed and stopped its host, counts too), and the dashboard shows
/// a log line in the resource's console and the restart count as the <c>atlas.restarts</c> property.
/// </summary>
internal sealed class RestartSupervisor(
    ResourceNotificationService notifications, ResourceCommandService commands, ResourceLoggerService loggers,
    IHostApplicationLifetime lifetime, TimeProvider time, ILogger<RestartSupervisor> logger) : BackgroundService
{
    private static readonly HashSet<string> Ended = [KnownResourceStates.Exited, KnownResourceStates.Finished, KnownResourceStates.FailedToStart];
    private readonly Dictionary<string, string?> _lastState = [];
    private readonly Dictionary<string, List<DateTimeOffset>> _restarts = [];
    private readonly Dictionary<string, int> _totals = [];
    private readonly Lock _gate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var change in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!change.Resource.TryGetLastAnnotation<RestartPolicyAnnotation>(out var policy))
            {
                continue;
            }

            var state = change.Snapshot.State?.Text;
            _lastState.TryGetValue(change.ResourceId, out var previous);
            _lastState[change.ResourceId] = state;
            var crashed = state is not null && Ended.Contains(state) && previous is not null && previous != state
                && previous != KnownResourceStates.Stopping;
            if (crashed && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                _ = RestartAsync(change, policy, stoppingToken);
            }
        }
    }

    private async Task RestartAsync(ResourceEvent change, RestartPolicyAnnotation policy, CancellationToken cancellationToken)
    {
        var resourceLog = loggers.GetLogger(change.ResourceId);
        var now = time.GetUtcNow();
        int attempt, total;
        lock (_gate)
        {
            // Restarts of different resources run at the same time: the counts are shared state.
            var history = _restarts.TryGetValue(change.ResourceId, out var list) ? list : _restarts[change.ResourceId] = [];
            history.RemoveAll(at => now - at > policy.Window);
            if (history.Count >= policy.MaxRestarts)
            {
                AppHostLog.RestartsExhausted(resourceLog, change.Snapshot.ExitCode, history.Count, policy.Window);
                return;
            }

            history.Add(now);
            attempt = history.Count;
            total = _totals[change.ResourceId] = (_totals.TryGetValue(change.ResourceId, out var sofar) ? sofar : 0) + 1;
        }

        var delay = policy.DelayBefore(attempt);
        AppHostLog.Restarting(resourceLog, change.Snapshot.ExitCode, delay, attempt, policy.MaxRestarts, policy.Window);
        AppHostLog.RestartScheduled(logger, change.ResourceId, change.Snapshot.ExitCode, attempt, delay);
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            await notifications.PublishUpdateAsync(change.Resource, change.ResourceId, s => s with
            {
                Properties = [.. s.Properties.Where(p => p.Name != RestartPolicyAnnotation.RestartsProperty), new ResourcePropertySnapshot(RestartPolicyAnnotation.RestartsProperty, total)],
            }).ConfigureAwait(false);
            var result = await commands.ExecuteCommandAsync(change.ResourceId, KnownResourceCommands.StartCommand, cancellationToken).ConfigureAwait(false);
            if (!result.Success)
            {
                AppHostLog.RestartFailed(resourceLog, result.Message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The AppHost is stopping: nothing to restart.
        }
    }

}
