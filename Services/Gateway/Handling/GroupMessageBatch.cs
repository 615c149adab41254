using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Groups;
using Atlas.Gateway.Telegram.Api;
using Npgsql;

namespace Atlas.Gateway.Handling;

/// <summary>
/// The membership bookkeeping of an ingest batch's plain group messages, done for the whole batch in one round trip
/// (<see cref="MembershipStore.RecordGroupMessagesAsync"/>) before the updates are handled one by one. The returned
/// <see cref="IngestBatch"/> tells <see cref="GroupMessageHandler"/> which updates need no write of their own. When the
/// batch write fails, it names none, and each update records its membership itself, as without a batch.
/// </summary>
public sealed class GroupMessageBatch(MembershipStore memberships, ILogger<GroupMessageBatch> logger)
{
    /// <summary>Records the memberships of <paramref name="updates"/>' plain group messages; the batch names those it recorded.</summary>
    public async Task<IngestBatch> RecordAsync(IReadOnlyList<Update> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var plain = updates.Where(u => IsPlainGroupMessage(u.Message)).ToList();
        if (plain.Count == 0)
        {
            return new IngestBatch();
        }

        try
        {
            await memberships.RecordGroupMessagesAsync([.. plain.Select(u => (u.Message!.Chat, u.Message.From!))], cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The SQLSTATE says which (55P03 a lock wait timed out, 40P01 a deadlock); PostgreSQL's message text is left
            // out, as some messages quote the offending value (a user's name here).
            var reason = exception is PostgresException postgres ? $"PostgreSQL {postgres.SqlState}" : exception.GetType().Name;
            GatewayLog.MembershipNotRecorded(logger, plain[0].UpdateId, $"{reason}; its {plain.Count} updates record their own");
            return new IngestBatch();
        }

        return new IngestBatch(plain.Select(u => u.UpdateId));
    }

    // What GroupMessageHandler records with RecordGroupMessageAsync: a user's message, not a service message.
    private static bool IsPlainGroupMessage(Message? message) =>
        message is { Chat.IsGroup: true, From: not null, MigrateToChatId: null, MigrateFromChatId: null, LeftChatMember: null }
        && message.NewChatMembers is not { Count: > 0 };
}
