using System.Diagnostics.Metrics;

namespace Atlas.Gateway.Diagnostics;

/// <summary>
/// The gateway's instruments (meter <c>Atlas.Gateway</c>). Prometheus adds <c>_total</c> to counters and the
/// unit to histograms: <c>luka_updates_total{type}</c>, <c>telegram_webhook_request_duration_seconds</c>, ...
/// Tags carry kinds and names only, never user text or secrets.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Atlas.Gateway";

    private readonly Counter<long> _updates;
    private readonly Counter<long> _updatesDropped;
    private readonly Counter<long> _handlerSuccess;
    private readonly Counter<long> _handlerFailure;
    private readonly Counter<long> _floodWaits;
    private readonly Counter<long> _outbound;
    private readonly Histogram<double> _webhookDuration;
    private readonly Histogram<long> _ingestBatchSize;
    private readonly Histogram<double> _ingestBatchDuration;
    private readonly Counter<long> _replayed;
    private long _outboundQueueDepth;
    private long _held;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _updates = meter.CreateCounter<long>("luka_updates", description: "Telegram updates received, by update type.");
        _updatesDropped = meter.CreateCounter<long>(
            "luka_updates_dropped", description: "Updates not handled, by reason (duplicate, rate_limited, unauthorized, ...).");
        _handlerSuccess = meter.CreateCounter<long>("luka_handlers_success", description: "Handler runs that succeeded, by handler.");
        _handlerFailure = meter.CreateCounter<long>("luka_handlers_failure", description: "Handler runs that failed, by handler.");
        _floodWaits = meter.CreateCounter<long>("telegram_flood_wait", description: "429 Too Many Requests answers from Telegram.");
        _outbound = meter.CreateCounter<long>(
            "luka_outbound_messages", description: "Outbound messages by outcome (sent, retried, parked, failed, duplicate).");
        _webhookDuration = meter.CreateHistogram<double>(
            "telegram_webhook_request_duration", unit: "s", description: "Time to answer Telegram's webhook POST.");
        _ingestBatchSize = meter.CreateHistogram<long>(
            "gateway_ingest_batch_size", unit: "{update}", description: "Updates per batch handed to the broker (group commit).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        _ingestBatchDuration = meter.CreateHistogram<double>(
            "gateway_ingest_batch_duration", unit: "s", description: "Time from publishing an ingest batch to the broker's confirm, by outcome.");
        _replayed = meter.CreateCounter<long>(
            "luka_updates_replayed", description: "Updates held during a freeze and replayed after it, by outcome (handled, failed).");
        meter.CreateObservableGauge(
            "luka_updates_held", () => Volatile.Read(ref _held), description: "Updates held by the freeze, waiting to be replayed.");
        meter.CreateObservableGauge(
            "luka_outbound_queue_depth", () => Volatile.Read(ref _outboundQueueDepth), description: "Messages waiting to be sent.");
    }

    public void UpdateReceived(string type) => _updates.Add(1, new KeyValuePair<string, object?>("type", type));

    public void UpdateDropped(string reason) => _updatesDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void UpdateReplayed(string outcome) => _replayed.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void HeldUpdates(long count) => Volatile.Write(ref _held, count);

    public void HandlerSucceeded(string handler) => _handlerSuccess.Add(1, new KeyValuePair<string, object?>("handler", handler));

    public void HandlerFailed(string handler) => _handlerFailure.Add(1, new KeyValuePair<string, object?>("handler", handler));

    public void IngestBatch(int updates, TimeSpan duration, bool confirmed)
    {
        _ingestBatchSize.Record(updates);
        _ingestBatchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", confirmed ? "confirmed" : "failed"));
    }

    public void FloodWait() => _floodWaits.Add(1);

    public void Outbound(string outcome) => _outbound.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void WebhookRequest(TimeSpan duration, int statusCode) =>
        _webhookDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status_code", statusCode));

    public void OutboundQueueDepth(long depth) => Volatile.Write(ref _outboundQueueDepth, depth);
}
