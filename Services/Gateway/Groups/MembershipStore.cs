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

    // The same three writes for a whole ingest batch, one row per distinct key (one statement may not touch a row twice).
    // They insert what is new and update only a row whose data changed or whose last sighting is older than
    // SightingResolution: an unchanged row is neither written nor locked, so concurrent batches of one busy chat do not
    // queue on its rows (an ON CONFLICT DO UPDATE locks every conflicting row, even when its WHERE is false). All
    // sub-statements of a WITH share one snapshot: the UPDATE never sees the rows its own INSERT adds.
    private const string UpsertChats = """
        WITH input AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(chat_id, chat_type, title)),
        added AS (
            INSERT INTO chats (chat_id, chat_type, title, bot_member) SELECT chat_id, chat_type, title, true FROM input
            ON CONFLICT (chat_id) DO NOTHING)
        UPDATE chats c SET chat_type = i.chat_type, title = COALESCE(i.title, c.title), bot_member = true, last_seen = now()
        FROM (
            SELECT i.* FROM input i JOIN chats x USING (chat_id)
            WHERE x.chat_type IS DISTINCT FROM i.chat_type OR (i.title IS NOT NULL AND x.title IS DISTINCT FROM i.title)
                OR NOT x.bot_member OR x.last_seen < now() - $4::interval
            ORDER BY chat_id FOR UPDATE OF x) i
        WHERE c.chat_id = i.chat_id
        """;

    private const string UpsertUsers = """
        WITH input AS (
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::boolean[])
                AS t(user_id, username, first_name, language_code, is_bot)),
        added AS (
            INSERT INTO users (user_id, username, first_name, language_code, is_bot) SELECT * FROM input
            ON CONFLICT (user_id) DO NOTHING)
        UPDATE users u SET username = i.username, first_name = i.first_name,
            language_code = COALESCE(i.language_code, u.language_code), last_seen = now()
        FROM (
            SELECT i.* FROM input i JOIN users x USING (user_id)
            WHERE x.username IS DISTINCT FROM i.username OR x.first_name IS DISTINCT FROM i.first_name
                OR (i.language_code IS NOT NULL AND x.language_code IS DISTINCT FROM i.language_code) OR x.last_seen < now() - $6::interval
            ORDER BY user_id FOR UPDATE OF x) i
        WHERE u.user_id = i.user_id
        """;

    private const string SeenInGroups = """
        WITH input AS (SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS t(chat_id, user_id)),
        added AS (
            INSERT INTO group_memberships (chat_id, user_id, status) SELECT chat_id, user_id, 'member' FROM input
            ON CONFLICT (chat_id, user_id) DO NOTHING)
        UPDATE group_memberships m SET
            status = CASE WHEN m.status IN ('left', 'kicked') THEN 'member' ELSE m.status END, updated_at = now()
        FROM (
            SELECT i.* FROM input i JOIN group_memberships x USING (chat_id, user_id)
            WHERE x.status IN ('left', 'kicked') OR x.updated_at < now() - $3::interval
            ORDER BY chat_id, user_id FOR UPDATE OF x) i
        WHERE m.chat_id = i.chat_id AND m.user_id = i.user_id
        """;

    /// <summary>
    /// How fresh a batch keeps <c>last_seen</c> (chats, users) and <c>updated_at</c> (a membership seen in a message): a
    /// row seen again sooner, with nothing changed, is not rewritten.
    /// </summary>
    public static readonly TimeSpan SightingResolution = TimeSpan.FromMinutes(1);

    private const string BatchLockTimeout = "SET LOCAL lock_timeout = '200ms'";

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
    /// each, in one transaction of three statements. Only new or changed rows (or sightings older than
    /// <see cref="SightingResolution"/>) are written, and they are locked in key order, so concurrent batches of a busy
    /// chat neither queue on its rows nor deadlock; a row locked elsewhere for more than 200 ms fails the call (the caller
    /// then records update by update).
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
        // A row held by someone else (a slow handler of one chat) must not hold up the whole batch: give up quickly,
        // and each update then records its own membership in its chat's turn.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(BatchLockTimeout));
        batch.BatchCommands.Add(Command(
            UpsertChats, Array(chats.Select(c => c.Id)), Array(chats.Select(c => c.Type)), Array(chats.Select(c => c.Title)), Resolution()));
        batch.BatchCommands.Add(Command(
            UpsertUsers, Array(users.Select(u => u.Id)), Array(users.Select(u => u.Username)), Array(users.Select(u => u.FirstName)),
            Array(users.Select(u => u.LanguageCode)), Array(users.Select(u => u.IsBot)), Resolution()));
        batch.BatchCommands.Add(Command(SeenInGroups, Array(seen.Select(p => p.Chat)), Array(seen.Select(p => p.User)), Resolution()));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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

    private static NpgsqlParameter Resolution() => new() { Value = SightingResolution, NpgsqlDbType = NpgsqlDbType.Interval };

    private static NpgsqlParameter Array<T>(IEnumerable<T> values) => new() { Value = values.ToArray() };

    private static NpgsqlParameter Text(string? value) => Typed(value, NpgsqlDbType.Text);

    private static NpgsqlParameter Typed(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
