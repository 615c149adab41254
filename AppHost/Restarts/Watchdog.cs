using System.Collections.Concurrent;
using System.Globalization;
using Atlas.AppHost.Audit;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atlas.AppHost.Restarts;

/// <summary>
/// The self-healing loop on top of the restart policy: every resource with a <see cref="WatchdogAnnotation"/> that is
/// Running has its liveness path probed. When the probes have failed for the annotation's time while the process
/// is still there (hung, not crashed), its process tree is killed (SIGKILL, which a stopped process cannot ignore),
/// so the resource ends and <see cref="RestartSupervisor"/> starts it again under its policy (a resource without a
/// policy is started here). Each restart is written to the resource's console log and the AppHost log, and counted
/// in the <see cref="WatchdogAnnotation.RestartsProperty"/> property the dashboard shows, and recorded in the AppHost's
/// ops audit file (actor <c>watchdog</c>, source <c>apphost</c>).
/// </summary>
internal sealed class Watchdog(
    DistributedApplicationModel model, ResourceNotificationService notifications, ResourceCommandService commands, ResourceLoggerService loggers,
    AtlasHostSettings settings, TimeProvider time, ILogger<Watchdog> logger) : BackgroundService
{
    private const string PidProperty = "executable.pid";
    private readonly ConcurrentDictionary<string, Watch> _watches = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watched = model.Resources.OfType<IResourceWithEndpoints>()
            .Where(r => r.TryGetLastAnnotation<WatchdogAnnotation>(out _)).ToList();
        if (watched.Count == 0)
        {
            return;
        }

        var probes = watched.Select(resource => ProbeLoopAsync(resource, resource.Annotations.OfType<WatchdogAnnotation>().Last(), stoppingToken));
        await Task.WhenAll([TrackAsync(stoppingToken), .. probes]).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    // Keeps each watched resource's state and process id up to date.
    private async Task TrackAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                if (change.Resource.TryGetLastAnnotation<WatchdogAnnotation>(out _))
                {
                    var pid = change.Snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value;
                    var watch = _watches.GetOrAdd(change.Resource.Name, _ => new Watch());
                    watch.Update(change.ResourceId, change.Snapshot.State?.Text, Convert.ToInt32(pid, CultureInfo.InvariantCulture), time.GetUtcNow());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeLoopAsync(IResourceWithEndpoints resource, WatchdogAnnotation policy, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(policy.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_watches.TryGetValue(resource.Name, out var watch) && watch.IsRunning && Url(resource, policy) is { } url)
                {
                    var alive = await ProbeAsync(url, policy.ProbeTimeout, stoppingToken).ConfigureAwait(false);
                    if (watch.Observe(alive, time.GetUtcNow(), policy) is { } hungFor)
                    {
                        await RestartAsync(resource, watch, hungFor, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        cut.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cut.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task RestartAsync(IResourceWithEndpoints resource, Watch watch, TimeSpan hungFor, CancellationToken stoppingToken)
    {
        var (resourceId, pid) = (watch.ResourceId!, watch.Pid);
        var count = watch.CountRestart();
        var resourceLog = loggers.GetLogger(resourceId);
        AppHostLog.WatchdogRestarting(resourceLog, hungFor.TotalSeconds, pid, count);
        AppHostLog.WatchdogRestart(logger, resource.Name, hungFor.TotalSeconds, count);
        await notifications.PublishUpdateAsync(resource, resourceId, s => s with
        {
            Properties = [.. s.Properties.Where(p => p.Name != WatchdogAnnotation.RestartsProperty), new ResourcePropertySnapshot(WatchdogAnnotation.RestartsProperty, count)],
        }).ConfigureAwait(false);

        if (!new AppHostAuditFile(settings.Data.Root, time).Append(AuditCaller.AppHost, "watchdog restart", resource.Name, succeeded: true,
                string.Create(CultureInfo.InvariantCulture, $"liveness failed for {hungFor.TotalSeconds:0} s while process {pid} ran; restart {count}")))
        {
            AppHostLog.RestartFailed(resourceLog, "the restart could not be written to the ops audit file");
        }

        ProcessTree.Kill(pid);
        if (!resource.TryGetLastAnnotation<RestartPolicyAnnotation>(out _))
        {
            // Nobody else brings it back: wait for the end of the killed process, then start it.
            await notifications.WaitForResourceAsync(resource.Name, e => e.Snapshot.State?.Text is { } state
                && state != KnownResourceStates.Running && state != KnownResourceStates.Stopping, stoppingToken).ConfigureAwait(false);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken).ConfigureAwait(false);
            if (!result.Success)
            {
                AppHostLog.RestartFailed(resourceLog, result.Message);
            }
        }
    }

    private static Uri? Url(IResourceWithEndpoints resource, WatchdogAnnotation policy)
    {
        var endpoint = resource.GetEndpoints().FirstOrDefault(e => e.EndpointName == "http") ?? resource.GetEndpoints().FirstOrDefault();
        return endpoint is { IsAllocated: true } ? new Uri(new Uri(endpoint.Url), policy.Path) : null;
    }

    /// <summary>One resource's probe history. Its process id tells one run from the next.</summary>
    private sealed class Watch
    {
        private readonly Lock _gate = new();
        private int _restarts;
        private DateTimeOffset _runningSince;
        private DateTimeOffset? _failingSince;
        private bool _answered;
        private bool _killed;

        public string? ResourceId { get; private set; }

        public int Pid { get; private set; }

        public bool IsRunning { get; private set; }

        public void Update(string resourceId, string? state, int pid, DateTimeOffset now)
        {
            lock (_gate)
            {
                ResourceId = resourceId;
                var running = state == KnownResourceStates.Running && pid > 0;
                if (running && (!IsRunning || pid != Pid))
                {
                    // A new run: its history starts over.
                    (_runningSince, _failingSince, _answered, _killed) = (now, null, false, false);
                }

                (IsRunning, Pid) = (running, running ? pid : Pid);
            }
        }

        /// <summary>Records a probe; returns how long it has been hung when that is long enough to restart it.</summary>
        public TimeSpan? Observe(bool alive, DateTimeOffset now, WatchdogAnnotation policy)
        {
            lock (_gate)
            {
                if (_killed || !IsRunning)
                {
                    return null;
                }

                if (alive)
                {
                    (_answered, _failingSince) = (true, null);
                    return null;
                }

                // Before its first answer a process may still be starting: its failures count once the grace is over.
                var countsFrom = _answered ? now : _runningSince + policy.StartupGrace;
                if (now < countsFrom)
                {
                    return null;
                }

                _failingSince ??= now;
                if (now - _failingSince < policy.HungAfter || !Posix.IsAlive(Pid))
                {
                    return null;
                }

                _killed = true;
                return now - _failingSince;
            }
        }

        public int CountRestart() => Interlocked.Increment(ref _restarts);
    }
}
