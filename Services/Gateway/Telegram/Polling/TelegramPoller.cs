using System.Text;
using System.Text.Json;
using Atlas.Contracts.Telegram;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Ingest;
using Atlas.Gateway.Telegram.Resilience;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Telegram.Bot;
using TelegramUpdate = Telegram.Bot.Types.Update;

namespace Atlas.Gateway.Telegram.Polling;

/// <summary>
/// Long-polls getUpdates and hands each batch to <see cref="UpdateIngest"/>. The offset moves (in memory and in
/// Redis) only after the whole batch is on the bus, so a crash at any point refetches the batch (deduplicated) rather
/// than losing it. getUpdates goes through <see cref="TelegramResilience"/> until it answers: conflicts (409: another
/// poller or a webhook), network errors, timeouts and 5xx back off, a 429 waits its retry_after. Stopping cancels the long poll, lets the batch in hand reach the bus, and
/// saves the offset. Started and stopped by the mode coordinator, one instance per polling session.
/// </summary>
internal sealed class TelegramPoller(
    TelegramResilience telegram, UpdateIngest ingest, PollingOffsetStore offsets, IOptions<TelegramOptions> telegramOptions,
    TimeProvider time, ILogger<TelegramPoller> logger) : BackgroundService
{
    private readonly TelegramOptions _telegram = telegramOptions.Value;
    private int _handOverFailures;
    private long? _offset;

    /// <summary>How long a stopping poller may still spend getting its batch onto the bus.</summary>
    public static readonly TimeSpan HandOverGrace = TimeSpan.FromSeconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _offset = await LoadOffsetAsync(stoppingToken).ConfigureAwait(false);
        GatewayLog.PollingStarted(logger, _offset);
        while (!stoppingToken.IsCancellationRequested)
        {
            TelegramUpdate[] batch;
            try
            {
                var offset = _offset is { } next ? checked((int)next) : (int?)null;
                batch = await telegram.ExecuteAsync(
                    "getUpdates",
                    TelegramRetry.UntilStopped,
                    (client, ct) => client.GetUpdates(offset, _telegram.PollingBatchSize, _telegram.PollingTimeoutSeconds, _telegram.AllowedUpdateTypes, ct),
                    stoppingToken,
                    attemptTimeout: TimeSpan.FromSeconds(_telegram.PollingTimeoutSeconds + 15)).ConfigureAwait(false);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            if (batch.Length > 0 && !await HandOverAsync(batch, stoppingToken).ConfigureAwait(false))
            {
                continue;
            }
        }

        GatewayLog.PollingStopped(logger, _offset);
    }

    // Puts the batch on the bus in order (one group commit), then moves the offset. Runs to the end even when stopping (bounded).
    private async Task<bool> HandOverAsync(TelegramUpdate[] batch, CancellationToken stoppingToken)
    {
        using var grace = new CancellationTokenSource(HandOverGrace, time);
        var next = _offset;
        var updates = new List<TelegramUpdateReceived>(batch.Length);
        foreach (var polled in batch)
        {
            // The bus carries the update as Telegram's JSON, the same as a webhook delivers it.
            var raw = JsonSerializer.SerializeToUtf8Bytes(polled, JsonBotAPI.Options);
            if (UpdateEnvelope.TryRead(raw, out var error) is not { } envelope)
            {
                GatewayLog.PolledUpdateUndecodable(logger, polled.Id, error);
            }
            else
            {
                updates.Add(new TelegramUpdateReceived(envelope.UpdateId, envelope.Type, envelope.ChatId, Encoding.UTF8.GetString(raw), time.GetUtcNow()));
            }

            if (next is null || polled.Id + 1 > next)
            {
                next = polled.Id + 1;
            }
        }

        try
        {
            await ingest.AcceptAllAsync(updates, grace.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is BusUnavailableException or OperationCanceledException)
        {
            // Keep the offset: the batch is fetched again and what reached the bus already is deduplicated.
            var delay = telegram.DelayAfter(null, _handOverFailures++);
            GatewayLog.PollingHandOverFailed(logger, batch[0].Id, exception.Message, delay);
            await DelayAsync(delay, stoppingToken).ConfigureAwait(false);
            return false;
        }

        _offset = next;
        _handOverFailures = 0;
        await SaveOffsetAsync().ConfigureAwait(false);
        GatewayLog.PollingBatchHandedOver(logger, batch.Length, _offset);
        return true;
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
}
