using Atlas.ServiceDefaults.Messaging;

namespace Atlas.Gateway.Handling;

/// <summary>
/// Bus message ids derived from the Telegram update, so that a message published again for the same update (after a
/// crash or a redelivery) carries the same MassTransit MessageId and consumers recognise it.
/// </summary>
public static class UpdateMessageIds
{
    /// <summary>A stable id for what update <paramref name="updateId"/> caused under <paramref name="purpose"/>.</summary>
    public static Guid For(long updateId, string purpose) => NameBasedIds.From($"atlas-gateway:update:{updateId}:{purpose}");
}
