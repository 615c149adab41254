using System.Collections.Concurrent;
using System.Text.Json;
using Atlas.Moderation.Settings;
using Npgsql;

namespace Atlas.Moderation.Decisions;

/// <summary>What one query tells about a message's chat and author: settings, strictness, trust and join time.</summary>
public sealed record ChatMemberState(ChatSettings Settings, bool Strict, bool Trusted, DateTimeOffset? JoinedAt);

/// <summary>
/// Reads <see cref="ChatMemberState"/> in one round trip, in an event's transaction or on a connection borrowed for just
/// that query. Parsed chat settings are kept per chat with their row version (PostgreSQL's <c>xmin</c>): the query
/// sends the version it has, and the row's JSON comes back (and is parsed) only when the row changed since, whoever
/// changed it. So a settings change is seen by the very next message, and an unchanged chat costs no JSON.
/// </summary>
public sealed class MemberFactsStore
{
    private const string Query =
        """
        SELECT r.version, CASE WHEN r.version = $4 THEN NULL ELSE r.rules END,
               coalesce((SELECT value = 'on' FROM ops_settings WHERE name = 'strict'), false),
               EXISTS (SELECT 1 FROM trusted_users WHERE chat_id = $1 AND user_id = $2),
               (SELECT joined_at FROM member_joins WHERE chat_id = $1 AND user_id = $2),
               EXISTS (SELECT 1 FROM processed_events WHERE event_key = $3)
        FROM (SELECT 1) AS one LEFT JOIN (SELECT xmin::text AS version, rules::text AS rules FROM chat_rules WHERE chat_id = $1) AS r ON true
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly ChatSettings Defaults = new();
    private readonly ConcurrentDictionary<long, (string Version, ChatSettings Settings)> _settings = new();

    /// <summary>Inside <paramref name="session"/>'s transaction.</summary>
    public async Task<ChatMemberState> ReadAsync(ModerationSession session, long chatId, long userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var known = Known(chatId);
        await using var command = session.Command(Query, chatId, userId, "", known.Version);
        return (await ReadAsync(command, chatId, known, cancellationToken).ConfigureAwait(false)).State;
    }

    /// <summary>
    /// Outside any transaction (the connection goes back to the pool when the query is done), together with whether
    /// <paramref name="eventKey"/> has been handled already.
    /// </summary>
    public async Task<(ChatMemberState State, bool Handled)> ReadAsync(
        NpgsqlDataSource dataSource, long chatId, long userId, string eventKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(Query);
        command.Parameters.Add(new NpgsqlParameter { Value = chatId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = eventKey });
        var known = Known(chatId);
        command.Parameters.Add(new NpgsqlParameter { Value = known.Version });
        return await ReadAsync(command, chatId, known, cancellationToken).ConfigureAwait(false);
    }

    private (string Version, ChatSettings Settings) Known(long chatId) => _settings.TryGetValue(chatId, out var cached) ? cached : ("", Defaults);

    private async Task<(ChatMemberState State, bool Handled)> ReadAsync(
        NpgsqlCommand command, long chatId, (string Version, ChatSettings Settings) known, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var settings = Settings(chatId, known, reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        var strict = settings.Strict || reader.GetBoolean(2);
        var state = new ChatMemberState(
            settings, strict, reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
        return (state, reader.GetBoolean(5));
    }

    // No row: the defaults. The JSON withheld: the version asked for (known) is current. Else the new version, parsed and kept.
    private ChatSettings Settings(long chatId, (string Version, ChatSettings Settings) known, string? version, string? json)
    {
        if (version is null)
        {
            _settings.TryRemove(chatId, out _);
            return Defaults;
        }

        if (json is null)
        {
            return known.Settings;
        }

        var settings = JsonSerializer.Deserialize<ChatSettings>(json, Json) ?? Defaults;
        _settings[chatId] = (version, settings);
        return settings;
    }
}
