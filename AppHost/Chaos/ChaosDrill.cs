using Atlas.AppHost.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.AppHost.Chaos;

/// <summary>
/// Runs one drill inside a running AppHost: checks that everything is healthy, starts traffic, breaks the thing, mends
/// it after the scenario's duration, keeps traffic going until answers are normal again (bounded), waits for late
/// answers, and leaves the broken resource running and healthy again.
/// </summary>
internal sealed class ChaosDrill(IServiceProvider services, ChaosScenario scenario, Action<string> progress)
{
    /// <summary>Answered normally within this long after being sent: the system behaves as usual for that message.</summary>
    public static readonly TimeSpan HealthyLatency = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
    private readonly ResourceNotificationService _notifications = services.GetRequiredService<ResourceNotificationService>();
    private readonly List<string> _steps = [];

    public async Task<ChaosReport> RunAsync(CancellationToken cancellationToken)
    {
        if (await ConnectAsync(cancellationToken).ConfigureAwait(false) is not var (http, driver))
        {
            return Failed("the drills need the Sandbox (no telegram-bot-token configured): it is not part of this AppHost");
        }

        using (http)
        {
            // A drill starts from a healthy stack (the one before may still be coming back): bounded by the recovery limit.
            if (!await WaitUntilAsync(() => NotHealthy().Count == 0, scenario.RecoveryLimit, cancellationToken).ConfigureAwait(false) && NotHealthy() is { Count: > 0 } sick)
            {
                return Failed("not every resource is running and healthy before the drill: " + string.Join(", ", sick));
            }

            var fault = new ChaosFault(scenario, services.GetRequiredService<ResourceCommandService>(), _notifications, driver);
            var traffic = new ChaosTraffic(driver, _time);
            return await RunCoreAsync(fault, traffic, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ChaosReport> RunCoreAsync(ChaosFault fault, ChaosTraffic traffic, CancellationToken cancellationToken)
    {
        await traffic.StartAsync(cancellationToken).ConfigureAwait(false);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var collecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sender = RepeatAsync(traffic.SendNextAsync, scenario.MessageInterval, sending.Token);
        var collector = RepeatAsync(traffic.CollectAsync, PollInterval, collecting.Token);
        string? error = null;
        DateTimeOffset start = default, healed = default;
        var injected = false;
        var oldPid = Pid(fault.Resource);
        try
        {
            await Task.Delay(scenario.WarmUp, _time, cancellationToken).ConfigureAwait(false);
            start = _time.GetUtcNow();
            injected = true;
            Step(await fault.InjectAsync(cancellationToken).ConfigureAwait(false));
            await Task.Delay(scenario.Duration, _time, cancellationToken).ConfigureAwait(false);
            Step(await fault.HealAsync(cancellationToken).ConfigureAwait(false));
            injected = false;
            healed = fault.HealsItself ? start : _time.GetUtcNow();
            if (!await WaitForRecoveryAsync(fault, traffic, healed, oldPid, cancellationToken).ConfigureAwait(false))
            {
                // Say which half of recovery did not come: the answers, or the broken resource (the answers may be normal again).
                error = fault.Resource is { } broken && !Healthy(broken, oldPid, fault.HealsItself)
                    ? $"{broken} is not running and healthy again {scenario.RecoveryLimit.TotalSeconds:0} s after the fault ended ({Condition(broken, oldPid)})"
                    : $"no normal answers {scenario.RecoveryLimit.TotalSeconds:0} s after the fault ended";
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
        {
            error = exception.Message;
        }
        finally
        {
            await sending.CancelAsync().ConfigureAwait(false);
            await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (injected)
            {
                // The drill broke down half-way: mend what it broke before anything else.
                try
                {
                    Step(await fault.HealAsync(CancellationToken.None).ConfigureAwait(false));
                }
                catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
                {
                    error = (error is null ? "" : error + "; ") + "could not mend it: " + exception.Message;
                }

                healed = _time.GetUtcNow();
            }
        }

        Step($"traffic stopped; waiting up to {scenario.Grace.TotalSeconds:0} s for answers");
        await WaitForAnswersAsync(traffic, cancellationToken).ConfigureAwait(false);
        await collecting.CancelAsync().ConfigureAwait(false);
        await collector.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await traffic.CollectAsync(cancellationToken).ConfigureAwait(false);
        if (fault.Resource is { } resource && !await WaitUntilAsync(() => Healthy(resource, oldPid, fault.HealsItself), scenario.RecoveryLimit, cancellationToken).ConfigureAwait(false))
        {
            error ??= $"{resource} is not running and healthy again ({Condition(resource, oldPid)})";
        }

        return Report(traffic.Outcomes(), start == default ? _time.GetUtcNow() : start, healed == default ? _time.GetUtcNow() : healed, error);
    }

    /// <summary>
    /// Traffic goes on until the resource is back, the tail has passed and the latest settled messages were answered
    /// normally. Settled is taken in the order the messages were sent: a question still waiting for its answer holds
    /// back the verdict on every message after it, so a quick <c>/help</c> answered meanwhile cannot declare the stack
    /// recovered while the service behind that question is still reconnecting (its late answer would then make the
    /// drill's report say "not recovered" after the traffic had stopped). Three in a row cover one of each kind.
    /// </summary>
    private Task<bool> WaitForRecoveryAsync(ChaosFault fault, ChaosTraffic traffic, DateTimeOffset healed, string? oldPid, CancellationToken cancellationToken) =>
        WaitUntilAsync(() =>
        {
            var now = _time.GetUtcNow();
            if (now - healed < scenario.Tail || (fault.Resource is { } resource && !Healthy(resource, oldPid, fault.HealsItself)))
            {
                return false;
            }

            var settled = traffic.Outcomes()
                .Where(o => o.Message.SentAt >= healed)
                .TakeWhile(o => o.Answered || now - o.Message.SentAt > HealthyLatency)
                .TakeLast(3)
                .ToList();
            return settled.Count == 3 && settled.All(IsHealthy);
        }, scenario.RecoveryLimit, cancellationToken);

    private async Task WaitForAnswersAsync(ChaosTraffic traffic, CancellationToken cancellationToken)
    {
        await WaitUntilAsync(() => traffic.Outcomes().All(o => o.Answered), scenario.Grace, cancellationToken).ConfigureAwait(false);
        // A second answer (a redelivery) may follow the first: a short look more.
        await Task.Delay(TimeSpan.FromSeconds(2), _time, cancellationToken).ConfigureAwait(false);
    }

    private ChaosReport Report(IReadOnlyList<ChaosTraffic.Outcome> outcomes, DateTimeOffset start, DateTimeOffset healed, string? error)
    {
        // Recovered at the first message since the fault began from which on every message was answered normally and
        // promptly; the time counts from the end of the fault to that message's answer.
        var since = outcomes.Where(o => o.Message.SentAt >= start).ToList();
        var firstOfHealthyRun = since.Count > 0 && IsHealthy(since[^1]) ? since.FindLastIndex(o => !IsHealthy(o)) + 1 : -1;
        TimeSpan? recovery = firstOfHealthyRun < 0 ? null
            : since[firstOfHealthyRun].FirstAnswerAt!.Value - healed is var span && span > TimeSpan.Zero ? span : TimeSpan.Zero;
        var slowest = outcomes.Where(o => o.Answered).Select(Latency).DefaultIfEmpty(TimeSpan.Zero).Max();
        var report = new ChaosReport(scenario.Label, scenario.Duration, _steps, outcomes.Count, outcomes.Count(o => !o.Answered),
            outcomes.Count(o => o.Answers > 1), outcomes.Count(o => o.Degraded), recovery, slowest, error);
        // What the users who wrote while it was broken were told: the detail behind the figures.
        foreach (var outcome in outcomes.Where(o => o.Message.SentAt >= start && o.Message.SentAt <= healed))
        {
            var answer = outcome.FirstAnswer is { } text ? text[..Math.Min(text.Length, 70)].ReplaceLineEndings(" ") : "(no answer)";
            progress($"chaos {scenario.Label}: during      {outcome.Message.Text[..Math.Min(outcome.Message.Text.Length, 30)]} -> {answer}");
        }

        foreach (var line in report.Lines().Skip(_steps.Count))
        {
            progress(line);
        }

        return report;
    }

    private static bool IsHealthy(ChaosTraffic.Outcome outcome) => outcome.Normal && Latency(outcome) <= HealthyLatency;

    private static TimeSpan Latency(ChaosTraffic.Outcome outcome) => outcome.FirstAnswerAt is { } at ? at - outcome.Message.SentAt : TimeSpan.MaxValue;

    private ChaosReport Failed(string error)
    {
        var report = new ChaosReport(scenario.Label, scenario.Duration, _steps, 0, 0, 0, 0, null, TimeSpan.Zero, error);
        foreach (var line in report.Lines())
        {
            progress(line);
        }

        return report;
    }

    private void Step(string step)
    {
        _steps.Add(step);
        progress($"chaos {scenario.Label}: step        {step}");
    }

    private async Task<(HttpClient Http, SandboxClient Driver)?> ConnectAsync(CancellationToken cancellationToken)
    {
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var sandbox = model.Resources.OfType<ProjectResource>().FirstOrDefault(r => r.Name == "sandbox");
        var token = model.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == "sandbox-bot-token");
        if (sandbox is null || token is null)
        {
            return null;
        }

        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var value = await token.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? "";
        return (http, new SandboxClient(http, new Uri(new EndpointReference(sandbox, "http").Url + "/"), value));
    }

    private List<string> NotHealthy() => [.. services.GetRequiredService<DistributedApplicationModel>().Resources
        .Where(r => r.Annotations.OfType<HealthCheckAnnotation>().Any())
        .Select(r => r.Name)
        .Where(name => !Healthy(name, null, false))];

    private bool Healthy(string resource, string? oldPid, bool newProcess) =>
        _notifications.TryGetCurrentState(resource, out var state)
        && state.Snapshot.State?.Text == KnownResourceStates.Running
        && state.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
        && (!newProcess || PidOf(state) != oldPid);

    /// <summary>The resource's state, health and whether its process is new, for an error line.</summary>
    private string Condition(string resource, string? oldPid) =>
        _notifications.TryGetCurrentState(resource, out var state)
            ? $"state {state.Snapshot.State?.Text ?? "unknown"}, health {state.Snapshot.HealthStatus?.ToString() ?? "unknown"}{Failing(state)}, {(PidOf(state) == oldPid ? "the same process as before" : "a new process")}"
            : "no state";

    private static string Failing(ResourceEvent state) =>
        string.Concat(state.Snapshot.HealthReports.Where(r => r.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
            .Select(r => $" ({r.Name}: {(r.Description ?? r.ExceptionText ?? "no reason")[..Math.Min((r.Description ?? r.ExceptionText ?? "no reason").Length, 160)].ReplaceLineEndings(" ")})"));

    private string? Pid(string? resource) => resource is not null && _notifications.TryGetCurrentState(resource, out var state) ? PidOf(state) : null;

    private static string? PidOf(ResourceEvent state) => state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value?.ToString();

    private async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + limit;
        while (!condition())
        {
            if (_time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Runs <paramref name="action"/> every <paramref name="interval"/> until cancelled; a failed round is reported and the next one tried.</summary>
    private async Task RepeatAsync(Func<CancellationToken, Task> action, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _time);
        do
        {
            try
            {
                await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                progress($"chaos {scenario.Label}: sandbox call failed: {exception.Message}");
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
