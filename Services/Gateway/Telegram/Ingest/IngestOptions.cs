using System.ComponentModel.DataAnnotations;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// The <c>Gateway:Ingest</c> section: how received updates are deduplicated, how many chats are handled at once,
/// and how long a publish may wait for the broker (Telegram calls back off per <c>Telegram:Resilience</c>).
/// </summary>
public sealed class IngestOptions
{
    public const string SectionName = "Gateway:Ingest";

    /// <summary>
    /// Handlers running at once, across chats (updates of one chat are always handled one after another; those
    /// waiting for their chat's turn do not count).
    /// </summary>
    [Range(1, 1024)]
    public int ConcurrencyLimit { get; init; } = 64;

    /// <summary>Ingest batches being handled at once (and prefetched from the queue); each is acknowledged when all its updates are done.</summary>
    [Range(1, 256)]
    public int BatchesInFlight { get; init; } = 32;

    /// <summary>Most updates one ingest batch (one broker message) carries.</summary>
    [Range(1, 4096)]
    public int BatchMaxUpdates { get; init; } = 512;

    /// <summary>Most bytes of update JSON one ingest batch carries (a single larger update still goes alone).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int BatchMaxBytes { get; init; } = 1024 * 1024;

    /// <summary>Updates that may wait for the broker at once; beyond it the webhook answers 503 at once.</summary>
    [Range(1, 1_000_000)]
    public int PendingLimit { get; init; } = 20_000;

    /// <summary>How long a handled update_id is remembered, so a second delivery has no effect.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan DedupRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long the claim on an update being handled lives without renewal. A running handler renews it; after a
    /// crash a redelivered update waits at most this long before it is handled again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HandlingLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the broker to confirm a publish; beyond it the webhook answers 503 and polling retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>At shutdown, the longest wait for the updates this process put on the bus to be handled before the bus stops.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ShutdownDrainTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
