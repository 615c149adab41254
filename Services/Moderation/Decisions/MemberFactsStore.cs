using System.Text.Json;
using Atlas.Moderation.Settings;

namespace Atlas.Moderation.Decisions;

/// <summary>What one query tells about a message's chat and author: settings, strictness, trust and join time.</summary>
public sealed record ChatMemberState(ChatSettings Settings, bool Strict, bool Trusted, DateTimeOffset? JoinedAt);

/// <summary>Reads <see cref="ChatMemberState"/> in one round trip, inside the event's transaction.</summary>
public static class MemberFactsStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<ChatMemberState> ReadAsync(ModerationSession session, long chatId, long userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var command = session.Command(
            """
            SELECT (SELECT rules::text FROM chat_rules WHERE chat_id = $1),
                   coalesce((SELECT value = 'on' FROM ops_settings WHERE name = 'strict'), false),
                   EXISTS (SELECT 1 FROM trusted_users WHERE chat_id = $1 AND user_id = $2),
                   (SELECT joined_at FROM member_joins WHERE chat_id = $1 AND user_id = $2)
            """,
            chatId, userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var settings = reader.IsDBNull(0) ? new ChatSettings() : JsonSerializer.Deserialize<ChatSettings>(reader.GetString(0), Json) ?? new ChatSettings();
        var strict = settings.Strict || reader.GetBoolean(1);
        return new ChatMemberState(
            settings, strict, reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
    }
}
