using System.Collections.Concurrent;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Groups;
using Atlas.Gateway.Telegram.Api;
using Npgsql;

namespace Atlas.Gateway.Handling;

/// <summary>
/// The membership bookkeeping of an ingest batch's plain group messages, done for the whole batch in one round trip
/// (<see cref="MembershipStore.RecordGroupMessagesAsync"/>) before the updates are handled one by one.
/// <see cref="GroupMessageHandler"/> then skips its own write for those updates. When the batch write fails, nothing
/// is marked and each update records its membership itself, as without a batch.
/// </summary>
public sealed class GroupMessageBatch(MembershipStore memberships, ILogger<GroupMessageBatch> logger)
{
    private readonly ConcurrentDictionary<long, byte> _recorded = new();

    /// <summary>Records the memberships of <paramref name="updates"/>' plain group messages; returns how many it recorded.</summary>
    public async Task<int> RecordAsync(IReadOnlyList<Update> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var plain = updates.Where(u => IsPlainGroupMessage(u.Message)).ToList();
        if (plain.Count == 0)
        {
            return 0;
        }

        try
        {
            await memberships.RecordGroupMessagesAsync([.. plain.Select(u => (u.Message!.Chat, u.Message.From!))], cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            GatewayLog.MembershipNotRecorded(logger, plain[0].UpdateId, exception.GetType().Name);
            return 0;
        }

        foreach (var update in plain)
        {
            _recorded.TryAdd(update.UpdateId, 0);
        }

        return plain.Count;
    }

    /// <summary>True (once) when the batch already recorded <paramref name="updateId"/>'s membership.</summary>
    public bool TakeRecorded(long updateId) => _recorded.TryRemove(updateId, out _);

    /// <summary>Forgets the batch's marks that no handler took (frozen, duplicate, failed updates).</summary>
    public void Forget(IEnumerable<long> updateIds)
    {
        ArgumentNullException.ThrowIfNull(updateIds);
        foreach (var updateId in updateIds)
        {
            _recorded.TryRemove(updateId, out _);
        }
    }

    // What GroupMessageHandler records with RecordGroupMessageAsync: a user's message, not a service message.
    private static bool IsPlainGroupMessage(Message? message) =>
        message is { Chat.IsGroup: true, From: not null, MigrateToChatId: null, MigrateFromChatId: null, LeftChatMember: null }
        && message.NewChatMembers is not { Count: > 0 };
}
