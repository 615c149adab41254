using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Moderation;
using Atlas.Gateway.Telegram.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// The one sender: claims chats whose next moderation action is due (first: an action never waits behind messages or
/// the overall send limit) and chats whose next message is due (oldest first) while the overall limit and
/// <see cref="OutboundOptions.MaxConcurrentSends"/> allow, and runs each chat's head concurrently with other chats.
/// A chat never has two sends in flight, so its messages go in order; a chat that waits (spacing, group window,
/// retry_after, backoff) only moves its own score in the schedule and blocks nobody else. On stop it sends nothing
/// new and lets the sends in flight finish and record their outcome; the rest stays queued in Redis.
/// </summary>
internal sealed class OutboundSender : BackgroundService
{
    private static readonly TimeSpan RedisRetryDelay = TimeSpan.FromSeconds(1);

    private readonly OutboundStore _store;
    private readonly OutboundSignal _signal;
    private readonly OutboundAttempt _attempt;
    private readonly ActionStore _actions;
    private readonly ActionAttempt? _actionAttempt;
    private readonly GatewayMetrics _metrics;
    private readonly OutboundOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboundSender> _logger;
    private readonly SendWindow _window;
    private readonly ResiliencePipeline _untilRedisAnswers;
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Task> _inFlight = [];
    private int _sending;

    /// <param name="moderation">Runs the moderation actions; absent in a host of the outbox alone, which then leaves the action lanes alone.</param>
    public OutboundSender(
        OutboundStore store, ActionStore actions, OutboundSignal signal, TelegramResilience telegram, GatewayMetrics metrics,
        IOptions<OutboundOptions> options, TimeProvider time, ILogger<OutboundSender> logger, ModerationActionExecutor? moderation = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _signal = signal;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _window = new SendWindow(_options.GlobalPerSecond, time);
        _attempt = new OutboundAttempt(store, telegram, metrics, _options, time, logger);
        _actions = actions;
        _actionAttempt = moderation is null ? null : new ActionAttempt(actions, store, moderation, metrics, _options, time, logger);
        // The queue lives in Redis: while it does not answer, the sender tries again every second until stopped.
        _untilRedisAnswers = new ResiliencePipelineBuilder { Name = "outbound-redis", TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                Delay = RedisRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } failure && failure is not OperationCanceledException),
                OnRetry = args =>
                {
                    GatewayLog.OutboundSenderFailed(logger, args.Outcome.Exception!, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Lets sends in flight finish; when the host's stop timeout runs out they are cut and their messages stay queued.</summary>
    private bool _disposed;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may stop a service twice (the test host does); after Dispose there is nothing left to abort.
        if (Volatile.Read(ref _disposed))
        {
            return;
        }

        using var registration = cancellationToken.Register(AbortSends);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _abort.Dispose();
        base.Dispose();
    }

    private void AbortSends()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the callback: the sends are gone already.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _untilRedisAnswers.ExecuteAsync(async ct => await ReportStartAsync(ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                await _untilRedisAnswers.ExecuteAsync(async ct => await DispatchAsync(ct).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            var inFlight = Volatile.Read(ref _sending);
            GatewayLog.OutboundSenderStopping(_logger, inFlight);
            await Task.WhenAll(_inFlight).ConfigureAwait(false);
        }
    }

    private async Task ReportStartAsync(CancellationToken cancellationToken)
    {
        var depth = await _store.DepthAsync(cancellationToken).ConfigureAwait(false);
        _metrics.OutboundQueueDepth(depth);
        GatewayLog.OutboundSenderStarted(_logger, depth);
    }

    /// <summary>
    /// Starts the moderation actions that are due (first, and outside the overall send limit: they are not messages),
    /// then the sends that may start now, then waits until more may (a chat due, a slot free, or a wake-up).
    /// </summary>
    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        _inFlight.RemoveAll(task => task.IsCompleted);
        var free = _options.MaxConcurrentSends - Volatile.Read(ref _sending);
        DateTimeOffset? actionDue = null;
        DateTimeOffset? messageDue = null;
        if (free > 0 && _actionAttempt is { } actionAttempt)
        {
            // Not cancellable, for the reason given for the sends below.
            var actionChats = await _actions.ClaimDueAsync(free, CancellationToken.None).ConfigureAwait(false);
            actionDue = actionChats.NextDue;
            foreach (var chatId in actionChats.Chats)
            {
                Interlocked.Increment(ref _sending);
                _inFlight.Add(RunActionAsync(actionAttempt, chatId, stoppingToken));
            }

            free -= actionChats.Chats.Count;
            if (free == 0)
            {
                return;
            }
        }

        var capacity = Math.Min(free, _window.Available());
        if (capacity > 0)
        {
            // Not cancellable: a claim cut off by the stop could still have been made in Redis, and nobody would release it
            // (the chat would wait out the whole lease after a restart). Every claimed chat goes to SendAsync, which
            // releases it untouched when the gateway is stopping.
            var chats = await _store.ClaimDueAsync(capacity, CancellationToken.None).ConfigureAwait(false);
            messageDue = chats.NextDue;
            foreach (var chatId in chats.Chats)
            {
                _window.Start();
                Interlocked.Increment(ref _sending);
                _inFlight.Add(SendAsync(chatId, stoppingToken));
            }

            if (chats.Chats.Count == capacity)
            {
                return;
            }
        }

        var now = _time.GetUtcNow();
        var wait = _options.IdlePollInterval;
        // When to look again comes with the claims (the earliest score left on each schedule), not from more calls.
        var wakeAt = capacity > 0 ? messageDue : _window.NextFreeAt();
        if (actionDue is { } actionAt && (wakeAt is null || actionAt < wakeAt))
        {
            wakeAt = actionAt;
        }

        if (wakeAt is { } at && at - now < wait)
        {
            wait = at - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await _signal.WaitAsync(wait, _time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunActionAsync(ActionAttempt attempt, long chatId, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            await attempt.RunAsync(chatId, stoppingToken, _abort.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            GatewayLog.OutboundAttemptFailed(_logger, exception, chatId);
        }
        finally
        {
            Interlocked.Decrement(ref _sending);
            _signal.Notify();
        }
    }

    private async Task SendAsync(long chatId, CancellationToken stoppingToken)
    {
        var reachedTelegram = false;
        try
        {
            await Task.Yield();
            reachedTelegram = await _attempt.RunAsync(chatId, stoppingToken, _abort.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            GatewayLog.OutboundAttemptFailed(_logger, exception, chatId);
        }
        finally
        {
            _window.Finish(reachedTelegram);
            Interlocked.Decrement(ref _sending);
            _signal.Notify();
        }
    }
}
