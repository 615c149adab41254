using System.Text.Json;
using Atlas.Gateway.Telegram.Api;
using Npgsql;

namespace Atlas.Gateway.Freeze;

/// <summary>
/// The updates held during a freeze, in PostgreSQL (table <c>held_updates</c>, so they survive a restart or a
/// deploy), replayed in Telegram's order (by update id). An update is kept once however often it is held; a row is removed only after its
/// replay succeeded. One instance at a time replays, under a PostgreSQL advisory lock (<see cref="TryLockReplayAsync"/>).
/// </summary>
public sealed class HeldUpdateStore(NpgsqlDataSource dataSource)
{
    /// <summary>"ATLASHLD": the advisory lock key of the replay (advisory locks are per database).</summary>
    public const long ReplayLockKey = 0x41544C4153484C44;

    private const string Hold = """
        INSERT INTO held_updates (update_id, chat_key, episode, payload) VALUES ($1, $2, $3, $4)
        ON CONFLICT (update_id) DO NOTHING
        """;

    // Joins the hold only while the chat still has held updates (during a drain); true when the update is in the hold.
    private const string HoldBehindChat = """
        WITH held AS (
            INSERT INTO held_updates (update_id, chat_key, episode, payload)
            SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM held_updates WHERE chat_key = $2)
            ON CONFLICT (update_id) DO NOTHING
            RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM held) OR EXISTS (SELECT 1 FROM held_updates WHERE update_id = $1)
        """;

    /// <summary>Holds <paramref name="update"/> of chat <paramref name="chatKey"/> for the freeze episode <paramref name="episode"/>.</summary>
    public async Task HoldAsync(Update update, long chatKey, long episode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var command = dataSource.CreateCommand(Hold);
        AddRow(command, update, chatKey, episode);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Holds <paramref name="update"/> if its chat still has held updates; false when the chat has none (handle it now).</summary>
    public async Task<bool> HoldBehindChatAsync(Update update, long chatKey, long episode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var command = dataSource.CreateCommand(HoldBehindChat);
        AddRow(command, update, chatKey, episode);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>How many updates are held.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM held_updates");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// The oldest <paramref name="limit"/> held updates, in Telegram's order (update ids rise in the order Telegram
    /// received the updates): two instances may store a chat's consecutive updates in either order.
    /// </summary>
    public async Task<IReadOnlyList<HeldUpdate>> OldestAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT seq, update_id, chat_key, payload, attempts FROM held_updates ORDER BY update_id LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<HeldUpdate>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new HeldUpdate(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt32(4)));
        }

        return rows;
    }

    /// <summary>Removes a held update whose replay is done.</summary>
    public Task RemoveAsync(HeldUpdate held, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM held_updates WHERE seq = $1", held, cancellationToken);

    /// <summary>Counts a failed replay of <paramref name="held"/>.</summary>
    public Task CountFailureAsync(HeldUpdate held, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE held_updates SET attempts = attempts + 1 WHERE seq = $1", held, cancellationToken);

    /// <summary>
    /// The right to replay, for as long as the returned lease is held (null when another instance replays now). A
    /// crashed holder's lock goes with its connection.
    /// </summary>
    public async Task<IAsyncDisposable?> TryLockReplayAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = ReplayLockKey });
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return new ReplayLease(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private async Task ExecuteAsync(string sql, HeldUpdate held, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = held.Seq });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddRow(NpgsqlCommand command, Update update, long chatKey, long episode)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = update.UpdateId });
        command.Parameters.Add(new NpgsqlParameter { Value = chatKey });
        command.Parameters.Add(new NpgsqlParameter { Value = episode });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(update, TelegramJson.Options) });
    }

    private sealed class ReplayLease(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = ReplayLockKey });
                await command.ExecuteScalarAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is broken, and the lock went with its session.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

/// <summary>One held update: its place in line, its id, its chat, its JSON and how often its replay failed.</summary>
public sealed record HeldUpdate(long Seq, long UpdateId, long ChatKey, string Payload, int Attempts);
