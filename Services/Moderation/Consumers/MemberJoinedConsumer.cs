using Atlas.Contracts.Moderation;
using MassTransit;
using Npgsql;

namespace Atlas.Moderation.Consumers;

/// <summary>Remembers when a member joined (the latest join counts), for the new-member restrictions; idempotent by (chat, user).</summary>
public sealed class MemberJoinedConsumer(NpgsqlDataSource dataSource) : IConsumer<MemberJoined>
{
    public async Task Consume(ConsumeContext<MemberJoined> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO member_joins (chat_id, user_id, joined_at) VALUES ($1, $2, $3)
            ON CONFLICT (chat_id, user_id) DO UPDATE SET joined_at = greatest(member_joins.joined_at, EXCLUDED.joined_at)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = context.Message.ChatId });
        command.Parameters.Add(new NpgsqlParameter { Value = context.Message.UserId });
        command.Parameters.Add(new NpgsqlParameter { Value = context.Message.JoinedAt });
        await command.ExecuteNonQueryAsync(context.CancellationToken).ConfigureAwait(false);
    }
}
