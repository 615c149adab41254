using System.Text.Json;
using Atlas.Gateway.Admin;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Telegram.Api;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Freeze;

/// <summary>
/// Replays the updates held during a freeze, on every instance but one at a time (the advisory lock of
/// <see cref="HeldUpdateStore"/>). Each <see cref="FreezeOptions.PollInterval"/> (at once after an unfreeze through
/// this instance) it reads the state and the hold; unless inbound is frozen, it replays the hold through
/// <see cref="UpdateHandler.ReplayAsync"/> in Telegram's order (by update id): the chats of a round concurrently, each chat's updates one
/// after another, each row removed only after its handler succeeded. A failure stops its chat until the next round
/// (so nothing of that chat overtakes it); after <see cref="FreezeOptions.MaxAttempts"/> failures (an unreachable
/// broker does not count) the update is given up and logged as an error. Once the hold is empty and the drain has lasted at least
/// <see cref="InboundControl.CacheDuration"/> (so an update that read "frozen" just before the unfreeze is in the hold
/// by then) the state flips to running. A crash mid-replay leaves the rest in the hold and the state draining: the
/// next round of any instance goes on.
/// </summary>
internal sealed class HeldUpdateReplayer(
    InboundControl inbound, HeldUpdateStore store, UpdateHandler handler, IOptions<FreezeOptions> options,
    GatewayMetrics metrics, TimeProvider time, ILogger<HeldUpdateReplayer> logger) : BackgroundService
{
    private readonly FreezeOptions _options = options.Value;
    private TaskCompletionSource _wake = NewWake();
    private (DateTimeOffset? Episode, long SeenAt)? _drain;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        inbound.Unfrozen += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RoundAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // PostgreSQL away, most often: the hold stays as it is and the next round tries again.
                    GatewayLog.ReplayRoundFailed(logger, exception, exception.GetType().Name);
                }

                await WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is left stays held for the next start.
        }
        finally
        {
            inbound.Unfrozen -= Wake;
        }
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        var state = await inbound.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var count = await store.CountAsync(cancellationToken).ConfigureAwait(false);
        metrics.HeldUpdates(count);
        if (state.Frozen)
        {
            _drain = null;
            return;
        }

        if (count > 0)
        {
            var lease = await store.TryLockReplayAsync(cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                return;
            }

            await using (lease.ConfigureAwait(false))
            {
                GatewayLog.ReplayStarted(logger, count);
                await ReplayAsync(cancellationToken).ConfigureAwait(false);
            }

            count = await store.CountAsync(cancellationToken).ConfigureAwait(false);
            metrics.HeldUpdates(count);
        }

        if (!state.Draining)
        {
            _drain = null;
            return;
        }

        if (_drain is not { } drain || drain.Episode != state.Since)
        {
            drain = (state.Since, time.GetTimestamp());
            _drain = drain;
        }

        if (count == 0 && time.GetElapsedTime(drain.SeenAt) >= InboundControl.CacheDuration
            && await inbound.FinishDrainAsync(state, cancellationToken).ConfigureAwait(false))
        {
            _drain = null;
            GatewayLog.DrainFinished(logger);
        }
    }

    // Rounds of the oldest held updates until the hold is empty, inbound is frozen again, or an update failed.
    private async Task ReplayAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var rows = await store.OldestAsync(_options.ReplayBatchSize, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0 || (await inbound.GetCurrentAsync(cancellationToken).ConfigureAwait(false)).Frozen)
            {
                return;
            }

            var failed = 0;
            await Parallel.ForEachAsync(
                rows.GroupBy(row => row.ChatKey),
                new ParallelOptions { MaxDegreeOfParallelism = _options.ReplayConcurrency, CancellationToken = cancellationToken },
                async (chat, token) =>
                {
                    foreach (var row in chat)
                    {
                        if (!await ReplayOneAsync(row, token).ConfigureAwait(false))
                        {
                            Interlocked.Increment(ref failed);
                            return;
                        }
                    }
                }).ConfigureAwait(false);
            if (failed > 0)
            {
                return;
            }
        }
    }

    // False when the update failed and stays held (its chat waits for the next round).
    private async Task<bool> ReplayOneAsync(HeldUpdate row, CancellationToken cancellationToken)
    {
        if (Parse(row.Payload) is not { } update)
        {
            return await GiveUpAsync(row, "the held JSON is not an update").ConfigureAwait(false);
        }

        try
        {
            await handler.ReplayAsync(update, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Without the broker every update would fail: that is waited out, never counted against the update.
            if (BrokerFailures.IsBrokerUnavailable(exception))
            {
                GatewayLog.ReplayFailed(logger, exception, row.UpdateId, row.Attempts);
                return false;
            }

            if (row.Attempts + 1 >= _options.MaxAttempts)
            {
                return await GiveUpAsync(row, exception.GetType().Name).ConfigureAwait(false);
            }

            GatewayLog.ReplayFailed(logger, exception, row.UpdateId, row.Attempts + 1);
            await store.CountFailureAsync(row, CancellationToken.None).ConfigureAwait(false);
            return false;
        }

        // Not cancellable: the effect happened, so the row must go even when the service is stopping.
        await store.RemoveAsync(row, CancellationToken.None).ConfigureAwait(false);
        metrics.UpdateReplayed("handled");
        GatewayLog.UpdateReplayed(logger, row.UpdateId);
        return true;
    }

    private async Task<bool> GiveUpAsync(HeldUpdate row, string reason)
    {
        GatewayLog.ReplayGivenUp(logger, row.UpdateId, row.Attempts + 1, reason);
        await store.RemoveAsync(row, CancellationToken.None).ConfigureAwait(false);
        metrics.UpdateReplayed("failed");
        return true;
    }

    private static Update? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<Update>(payload, TelegramJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        var wake = Volatile.Read(ref _wake);
        try
        {
            await wake.Task.WaitAsync(_options.PollInterval, time, cancellationToken).ConfigureAwait(false);
            Interlocked.CompareExchange(ref _wake, NewWake(), wake);
        }
        catch (TimeoutException)
        {
            // The regular round.
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
