using Atlas.Gateway.Telegram.Api;
using Npgsql;
using NpgsqlTypes;

namespace Atlas.Gateway.Groups;

/// <summary>
/// Chats, users and group memberships in PostgreSQL (tables <c>chats</c>, <c>users</c>, <c>group_memberships</c>).
/// Every write is an upsert, so recording the same update twice changes nothing.
/// </summary>
public sealed class MembershipStore(NpgsqlDataSource dataSource)
{
    private const string UpsertChat = """
        INSERT INTO chats (chat_id, chat_type, title, bot_member) VALUES ($1, $2, $3, COALESCE($4, true))
        ON CONFLICT (chat_id) DO UPDATE SET chat_type = EXCLUDED.chat_type, title = COALESCE(EXCLUDED.title, chats.title),
            bot_member = COALESCE($4, chats.bot_member), last_seen = now()
        """;

    private const string UpsertUser = """
        INSERT INTO users (user_id, username, first_name, language_code, is_bot) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username, first_name = EXCLUDED.first_name,
            language_code = COALESCE(EXCLUDED.language_code, users.language_code), last_seen = now()
        """;

    // A message proves presence but says nothing about rank: an administrator stays one, a former member is back.
    private const string SeenInGroup = """
        INSERT INTO group_memberships (chat_id, user_id, status) VALUES ($1, $2, 'member')
        ON CONFLICT (chat_id, user_id) DO UPDATE SET
            status = CASE WHEN group_memberships.status IN ('left', 'kicked') THEN 'member' ELSE group_memberships.status END,
            updated_at = now()
        """;

    // The same three upserts for a whole ingest batch, one row per distinct key (one statement may not touch a row twice).
    private const string UpsertChats = """
        INSERT INTO chats (chat_id, chat_type, title, bot_member)
        SELECT chat_id, chat_type, title, true FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(chat_id, chat_type, title)
        ON CONFLICT (chat_id) DO UPDATE SET chat_type = EXCLUDED.chat_type, title = COALESCE(EXCLUDED.title, chats.title),
            bot_member = true, last_seen = now()
        """;

    private const string UpsertUsers = """
        INSERT INTO users (user_id, username, first_name, language_code, is_bot)
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::boolean[])
        ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username, first_name = EXCLUDED.first_name,
            language_code = COALESCE(EXCLUDED.language_code, users.language_code), last_seen = now()
        """;

    private const string SeenInGroups = """
        INSERT INTO group_memberships (chat_id, user_id, status)
        SELECT chat_id, user_id, 'member' FROM unnest($1::bigint[], $2::bigint[]) AS t(chat_id, user_id)
        ON CONFLICT (chat_id, user_id) DO UPDATE SET
            status = CASE WHEN group_memberships.status IN ('left', 'kicked') THEN 'member' ELSE group_memberships.status END,
            updated_at = now()
        """;

    private const string SetStatus = """
        INSERT INTO group_memberships (chat_id, user_id, status) VALUES ($1, $2, $3)
        ON CONFLICT (chat_id, user_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()
        """;

    private const string SharedGroups = """
        SELECT c.chat_id, COALESCE(c.title, '') FROM group_memberships m JOIN chats c ON c.chat_id = m.chat_id
        WHERE m.user_id = $1 AND m.status IN ('creator', 'administrator', 'member', 'restricted')
          AND c.bot_member AND c.chat_type IN ('group', 'supergroup')
        ORDER BY c.title, c.chat_id
        """;

    private const string MoveChat = """
        INSERT INTO chats (chat_id, chat_type, title, bot_member, first_seen)
        SELECT $2, 'supergroup', title, bot_member, first_seen FROM chats WHERE chat_id = $1
        ON CONFLICT (chat_id) DO UPDATE SET chat_type = 'supergroup', title = COALESCE(chats.title, EXCLUDED.title), last_seen = now()
        """;

    private const string MoveMemberships = """
        INSERT INTO group_memberships (chat_id, user_id, status, updated_at)
        SELECT $2, user_id, status, updated_at FROM group_memberships WHERE chat_id = $1
        ON CONFLICT (chat_id, user_id) DO NOTHING
        """;

    /// <summary>A user wrote to the bot (private chat): remember the user.</summary>
    public async Task RecordUserAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(UserCommand(user));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A user posted in a group: the bot and the user are both in it.</summary>
    public async Task RecordGroupMessageAsync(Chat chat, User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(user);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(ChatCommand(chat, botMember: true));
        batch.BatchCommands.Add(UserCommand(user));
        batch.BatchCommands.Add(Command(SeenInGroup, Value(chat.Id), Value(user.Id)));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Many group messages at once (an ingest batch): the same effect as <see cref="RecordGroupMessageAsync"/> for
    /// each, in one round trip of three statements. Rows are written in key order, so concurrent batches never deadlock.
    /// </summary>
    public async Task RecordGroupMessagesAsync(IReadOnlyCollection<(Chat Chat, User User)> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        var chats = messages.Select(m => m.Chat).DistinctBy(c => c.Id).OrderBy(c => c.Id).ToArray();
        var users = messages.Select(m => m.User).DistinctBy(u => u.Id).OrderBy(u => u.Id).ToArray();
        var seen = messages.Select(m => (Chat: m.Chat.Id, User: m.User.Id)).Distinct().OrderBy(p => p.Chat).ThenBy(p => p.User).ToArray();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            UpsertChats, Array(chats.Select(c => c.Id)), Array(chats.Select(c => c.Type)), Array(chats.Select(c => c.Title))));
        batch.BatchCommands.Add(Command(
            UpsertUsers, Array(users.Select(u => u.Id)), Array(users.Select(u => u.Username)), Array(users.Select(u => u.FirstName)),
            Array(users.Select(u => u.LanguageCode)), Array(users.Select(u => u.IsBot))));
        batch.BatchCommands.Add(Command(SeenInGroups, Array(seen.Select(p => p.Chat)), Array(seen.Select(p => p.User))));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A user's membership changed (joined, left, promoted, banned ...).</summary>
    public async Task RecordMembershipAsync(Chat chat, User user, string status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(user);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(ChatCommand(chat, botMember: null));
        batch.BatchCommands.Add(UserCommand(user));
        batch.BatchCommands.Add(Command(SetStatus, Value(chat.Id), Value(user.Id), Value(status)));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bot itself joined or left a chat (my_chat_member).</summary>
    public async Task RecordBotMembershipAsync(Chat chat, bool present, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chat);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(ChatCommand(chat, present));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A group became supergroup <paramref name="toChatId"/>: the chat and its memberships move there (what the
    /// supergroup knows already wins) and the group is forgotten. One round trip, one implicit transaction; a second
    /// run finds no group and changes nothing.
    /// </summary>
    public async Task MoveChatAsync(long fromChatId, long toChatId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(MoveChat, Value(fromChatId), Value(toChatId)));
        batch.BatchCommands.Add(Command(MoveMemberships, Value(fromChatId), Value(toChatId)));
        batch.BatchCommands.Add(Command("DELETE FROM chats WHERE chat_id = $1", Value(fromChatId)));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The groups <paramref name="userId"/> is in where the bot is too, by title.</summary>
    public async Task<IReadOnlyList<(long ChatId, string Title)>> GetSharedGroupsAsync(long userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SharedGroups);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var groups = new List<(long, string)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            groups.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return groups;
    }

    private static NpgsqlBatchCommand ChatCommand(Chat chat, bool? botMember) =>
        Command(UpsertChat, Value(chat.Id), Value(chat.Type), Text(chat.Title), Typed(botMember, NpgsqlDbType.Boolean));

    private static NpgsqlBatchCommand UserCommand(User user) =>
        Command(UpsertUser, Value(user.Id), Text(user.Username), Value(user.FirstName), Text(user.LanguageCode), Value(user.IsBot));

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Value(object value) => new() { Value = value };

    private static NpgsqlParameter Array<T>(IEnumerable<T> values) => new() { Value = values.ToArray() };

    private static NpgsqlParameter Text(string? value) => Typed(value, NpgsqlDbType.Text);

    private static NpgsqlParameter Typed(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
