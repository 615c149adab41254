using System.Collections.Concurrent;
using Atlas.Contracts.Moderation;

namespace Atlas.Gateway.Handling;

/// <summary>
/// What the handlers of one ingest batch leave to the batch: which plain group messages already have their membership
/// recorded (<see cref="GroupMessageBatch"/>), and the <see cref="MessagePosted"/> events, which the consumer publishes
/// once the chat's updates of the batch ran, before it marks those updates handled. An update whose
/// event waits here is not handled until that publish is confirmed: a crash in between leaves it unmarked, so the
/// redelivery publishes it again (with the same message id, which Moderation recognises).
/// </summary>
public sealed class IngestBatch
{
    private readonly HashSet<long> _membershipRecorded;
    private readonly ConcurrentDictionary<long, MessagePosted> _posted = new();
    private readonly ConcurrentDictionary<long, byte> _published = new();

    public IngestBatch(IEnumerable<long>? membershipRecorded = null) => _membershipRecorded = [.. membershipRecorded ?? []];

    /// <summary>True when the batch recorded <paramref name="updateId"/>'s membership in its one round trip.</summary>
    public bool MembershipRecorded(long updateId) => _membershipRecorded.Contains(updateId);

    /// <summary>Leaves <paramref name="posted"/> to the batch's publish. A retried handler defers it once.</summary>
    public void Defer(MessagePosted posted)
    {
        ArgumentNullException.ThrowIfNull(posted);
        _posted.TryAdd(posted.UpdateId, posted);
    }

    /// <summary>True when <paramref name="updateId"/>'s event waits for the batch's publish.</summary>
    public bool IsDeferred(long updateId) => _posted.ContainsKey(updateId);

    /// <summary>Notes that <paramref name="updateId"/>'s event is confirmed by the broker (a retry skips it).</summary>
    public void MarkPublished(long updateId) => _published.TryAdd(updateId, 0);

    public bool WasPublished(long updateId) => _published.ContainsKey(updateId);

    /// <summary>The deferred events of <paramref name="updateIds"/>, in that order.</summary>
    public IReadOnlyList<MessagePosted> PostedOf(IEnumerable<long> updateIds) =>
        [.. updateIds.Select(id => _posted.TryGetValue(id, out var posted) ? posted : null).OfType<MessagePosted>()];
}
