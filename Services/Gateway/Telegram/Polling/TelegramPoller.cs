using System.Text.Json;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Api;
using Atlas.Gateway.Telegram.Ingest;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Gateway.Telegram.Polling;

/// <summary>
/// Long-polls getUpdates and hands each batch to <see cref="UpdateIngest"/>. The offset moves (in memory and in
/// Redis) only after the whole batch is on the bus, so a crash at any point refetches the batch (deduplicated) rather
/// than losing it. Conflicts (409: another poller or a webhook), network errors, timeouts and 5xx are retried with
/// backoff; a 429 waits its retry_after. Stopping cancels the long poll, lets the batch in hand reach the bus, and
/// saves the offset. Started and stopped by the mode coordinator, one instance per polling session.
/// </summary>
internal sealed class TelegramPoller(
    TelegramBotClient telegram, UpdateIngest ingest, PollingOffsetStore offsets, IOptions<TelegramOptions> telegramOptions,
    IOptions<IngestOptions> ingestOptions, TimeProvider time, ILogger<TelegramPoller> logger) : BackgroundService
{
    private readonly TelegramOptions _telegram = telegramOptions.Value;
    private readonly RetryBackoff _backoff = new(ingestOptions.Value);
    private long? _offset;

    /// <summary>How long a stopping poller may still spend getting its batch onto the bus.</summary>
    public static readonly TimeSpan HandOverGrace = TimeSpan.FromSeconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _offset = await LoadOffsetAsync(stoppingToken).ConfigureAwait(false);
        GatewayLog.PollingStarted(logger, _offset);
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<JsonElement> batch;
            try
            {
                batch = await telegram.CallAsync<IReadOnlyList<JsonElement>>(
                    "getUpdates",
                    new
                    {
                        offset = _offset,
                        limit = _telegram.PollingBatchSize,
                        timeout = _telegram.PollingTimeoutSeconds,
                        allowed_updates = _telegram.EffectiveAllowedUpdates,
                    },
                    stoppingToken,
                    TimeSpan.FromSeconds(_telegram.PollingTimeoutSeconds + 15)).ConfigureAwait(false);
                _backoff.Reset();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // TelegramApiException, HttpRequestException, TimeoutException, a result that is not an array, ...:
                // the poller never dies of a failed call; it waits and asks again.
                await WaitAfterFailureAsync(exception, stoppingToken).ConfigureAwait(false);
                continue;
            }

            if (batch.Count > 0 && !await HandOverAsync(batch, stoppingToken).ConfigureAwait(false))
            {
                continue;
            }
        }

        GatewayLog.PollingStopped(logger, _offset);
    }

    // Puts the batch on the bus in order, then moves the offset. Runs to the end even when stopping (bounded).
    private async Task<bool> HandOverAsync(IReadOnlyList<JsonElement> batch, CancellationToken stoppingToken)
    {
        using var grace = new CancellationTokenSource(HandOverGrace, time);
        var next = _offset;
        foreach (var element in batch)
        {
            var raw = element.GetRawText();
            var update = UpdateJson.TryParse(raw, out var error);
            var updateId = update?.UpdateId ?? ReadUpdateId(element);
            if (update is null)
            {
                GatewayLog.PolledUpdateUndecodable(logger, updateId, error);
            }
            else
            {
                try
                {
                    await ingest.AcceptAsync(update, raw, grace.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is BusUnavailableException or OperationCanceledException)
                {
                    // Keep the offset: the batch is fetched again and what reached the bus already is deduplicated.
                    var delay = _backoff.NextDelay();
                    GatewayLog.PollingHandOverFailed(logger, updateId, exception.Message, delay);
                    await DelayAsync(delay, stoppingToken).ConfigureAwait(false);
                    return false;
                }
            }

            if (updateId is { } id && (next is null || id + 1 > next))
            {
                next = id + 1;
            }
        }

        _offset = next;
        await SaveOffsetAsync().ConfigureAwait(false);
        GatewayLog.PollingBatchHandedOver(logger, batch.Count, _offset);
        return true;
    }

    private async Task WaitAfterFailureAsync(Exception exception, CancellationToken stoppingToken)
    {
        var delay = _backoff.NextDelay(exception);
        switch (exception)
        {
            case TelegramApiException { IsConflict: true } conflict:
                GatewayLog.PollingConflict(logger, conflict.Description, delay);
                break;
            case TelegramApiException { IsFloodWait: true }:
                GatewayLog.PollingFloodWait(logger, delay);
                break;
            case TelegramApiException { IsTransient: false } rejected:
                GatewayLog.PollingRejected(logger, rejected.ErrorCode, rejected.Description, delay);
                break;
            default:
                GatewayLog.PollingFailed(logger, exception.GetType().Name, exception.Message, delay);
                break;
        }

        await DelayAsync(delay, stoppingToken).ConfigureAwait(false);
    }

    private async Task<long?> LoadOffsetAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await offsets.LoadAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Telegram itself remembers the confirmed offset: without ours, getUpdates starts at the first unconfirmed update.
            GatewayLog.OffsetNotLoaded(logger, exception.GetType().Name);
            return null;
        }
    }

    private async Task SaveOffsetAsync()
    {
        if (_offset is not { } offset)
        {
            return;
        }

        try
        {
            await offsets.SaveAsync(offset).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            GatewayLog.OffsetNotSaved(logger, offset, exception.GetType().Name);
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static long? ReadUpdateId(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("update_id", out var id)
        && id.TryGetInt64(out var value)
            ? value
            : null;
}
