using System.Text.Json;
using Atlas.Moderation.Settings;
using Npgsql;

namespace Atlas.Moderation.Decisions;

/// <summary>What one query tells about a message's chat and author: settings, strictness, trust and join time.</summary>
public sealed record ChatMemberState(ChatSettings Settings, bool Strict, bool Trusted, DateTimeOffset? JoinedAt);

/// <summary>Reads <see cref="ChatMemberState"/> in one round trip, in an event's transaction or on a connection borrowed for just that query.</summary>
public static class MemberFactsStore
{
    private const string Query =
        """
        SELECT (SELECT rules::text FROM chat_rules WHERE chat_id = $1),
               coalesce((SELECT value = 'on' FROM ops_settings WHERE name = 'strict'), false),
               EXISTS (SELECT 1 FROM trusted_users WHERE chat_id = $1 AND user_id = $2),
               (SELECT joined_at FROM member_joins WHERE chat_id = $1 AND user_id = $2),
               EXISTS (SELECT 1 FROM processed_events WHERE event_key = $3)
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Inside <paramref name="session"/>'s transaction.</summary>
    public static async Task<ChatMemberState> ReadAsync(ModerationSession session, long chatId, long userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var command = session.Command(Query, chatId, userId, "");
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).State;
    }

    /// <summary>
    /// Outside any transaction (the connection goes back to the pool when the query is done), together with whether
    /// <paramref name="eventKey"/> has been handled already.
    /// </summary>
    public static async Task<(ChatMemberState State, bool Handled)> ReadAsync(
        NpgsqlDataSource dataSource, long chatId, long userId, string eventKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(Query);
        command.Parameters.Add(new NpgsqlParameter { Value = chatId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = eventKey });
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(ChatMemberState State, bool Handled)> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var settings = reader.IsDBNull(0) ? new ChatSettings() : JsonSerializer.Deserialize<ChatSettings>(reader.GetString(0), Json) ?? new ChatSettings();
        var strict = settings.Strict || reader.GetBoolean(1);
        var state = new ChatMemberState(
            settings, strict, reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
        return (state, reader.GetBoolean(4));
    }
}
