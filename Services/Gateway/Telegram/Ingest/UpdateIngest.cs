using System.Threading.Channels;
using Atlas.Contracts.Telegram;
using Atlas.Gateway.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// The one door both receivers (webhook and poller) use, with group commit: an update joins the batch being formed
/// while the previous batch is in flight; one persistent, mandatory publish of <see cref="TelegramUpdateBatch"/>
/// carries the whole batch (up to <see cref="IngestOptions.BatchMaxUpdates"/> updates and
/// <see cref="IngestOptions.BatchMaxBytes"/> bytes), and every caller in it returns only after the broker confirmed
/// it. A nack, a return (no queue bound) or no confirm within <see cref="IngestOptions.PublishTimeout"/> fails every
/// caller of the batch with <see cref="BusUnavailableException"/> (the webhook answers 503, so Telegram delivers them
/// again); so does a full waiting line (<see cref="IngestOptions.PendingLimit"/>), at once. Nothing here reads Redis:
/// duplicates are recognised by the consumer.
/// </summary>
internal sealed class UpdateIngest : BackgroundService
{
    private readonly IBus _bus;
    private readonly IngestDrain _drain;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<UpdateIngest> _logger;
    private readonly IngestOptions _options;
    private readonly Channel<Pending> _waiting;

    public UpdateIngest(IBus bus, IngestDrain drain, GatewayMetrics metrics, TimeProvider time, IOptions<IngestOptions> options, ILogger<UpdateIngest> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bus = bus;
        _drain = drain;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _waiting = Channel.CreateBounded<Pending>(new BoundedChannelOptions(_options.PendingLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Hands one update to the bus; returns once the broker confirmed the batch it went in.</summary>
    public Task AcceptAsync(TelegramUpdateReceived update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        _metrics.UpdateReceived(update.UpdateType);
        var pending = new Pending(update);
        if (!_waiting.Writer.TryWrite(pending))
        {
            return Task.FromException(new BusUnavailableException(Volatile.Read(ref _stopping)
                ? $"The gateway is stopping; update {update.UpdateId} was not taken."
                : $"{_options.PendingLimit} updates are already waiting for the broker; update {update.UpdateId} was not taken."));
        }

        return pending.Confirmed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Hands several updates over in order (one poll); returns once all are confirmed, or throws for the first failure.</summary>
    public Task AcceptAllAsync(IReadOnlyList<TelegramUpdateReceived> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var accepted = new Task[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            accepted[i] = AcceptAsync(updates[i], cancellationToken);
        }

        return Task.WhenAll(accepted);
    }

    private bool _stopping;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Take nothing new; what is waiting still goes out (the bus stops after this service).
        Volatile.Write(ref _stopping, true);
        _waiting.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(_options.BatchMaxUpdates);
        var reader = _waiting.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var bytes = 0L;
            while (batch.Count < _options.BatchMaxUpdates && reader.TryPeek(out var next)
                && (batch.Count == 0 || bytes + next.Bytes <= _options.BatchMaxBytes) && reader.TryRead(out next))
            {
                batch.Add(next);
                bytes += next.Bytes;
            }

            await PublishAsync(batch, bytes).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task PublishAsync(List<Pending> batch, long bytes)
    {
        var updates = new TelegramUpdateReceived[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            updates[i] = batch[i].Update;
            // Before the publish: the consumer may settle an update before the confirm reaches us.
            _drain.Published(updates[i].UpdateId);
        }

        var started = _time.GetTimestamp();
        Exception? failure = null;
        try
        {
            await _bus.PublishWithinAsync(new TelegramUpdateBatch(updates), Prepare, _options.PublishTimeout, _time, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (BusUnavailableException exception)
        {
            failure = exception;
        }
        catch (Exception exception)
        {
            failure = new BusUnavailableException($"A batch of {batch.Count} updates could not be published: {exception.GetType().Name}.", exception);
        }

        _metrics.IngestBatch(batch.Count, _time.GetElapsedTime(started), failure is null);
        if (failure is not null)
        {
            GatewayLog.IngestBatchFailed(_logger, batch.Count, updates[0].UpdateId, updates[^1].UpdateId, failure.Message);
            foreach (var pending in batch)
            {
                _drain.Settled(pending.Update.UpdateId);
                pending.Confirmed.TrySetException(failure);
            }

            return;
        }

        foreach (var pending in batch)
        {
            pending.Confirmed.TrySetResult();
        }
    }

    // Mandatory: when no queue is bound yet (a fresh broker before the consumer's endpoint is up) the broker returns
    // the message and the publish fails, so the updates are delivered again by their sender instead of dropped.
    private static void Prepare(PublishContext<TelegramUpdateBatch> context)
    {
        context.Mandatory = true;
        context.Durable = true;
    }

    private sealed class Pending(TelegramUpdateReceived update)
    {
        public TelegramUpdateReceived Update { get; } = update;

        public long Bytes { get; } = update.RawJson.Length + 64L;

        public TaskCompletionSource Confirmed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
