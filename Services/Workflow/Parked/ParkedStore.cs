using System.Text.Json.Nodes;
using Atlas.Workflow.Engine;
using Npgsql;
using NpgsqlTypes;

namespace Atlas.Workflow.Parked;

/// <summary>A parked (or formerly parked) operation as operators see it.</summary>
public sealed record ParkedOperation(
    string OperationId, string Kind, JsonObject Payload, string State, int Attempts, string? LastError, string Reason,
    long? ChatId, DateTimeOffset ParkedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? AppliedAt)
{
    public EngineOperation ToOperation() => new(OperationId, Kind, Payload, ChatId);
}

/// <summary>
/// PostgreSQL storage of parked work (<c>parked_operations</c>) and of applied idempotency keys
/// (<c>applied_operations</c>). A parked row moves to <c>applied</c> in the same transaction that records its key.
/// </summary>
internal sealed class ParkedStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "operation_id, kind, payload, state, attempts, last_error, reason, chat_id, parked_at, next_attempt_at, applied_at";

    public async Task<JsonObject?> FindAppliedAsync(string operationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT result FROM applied_operations WHERE operation_id = $1");
        command.Parameters.AddWithValue(operationId);
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is string json ? JsonNode.Parse(json)!.AsObject() : null;
    }

    public async Task<ParkedOperation?> FindAsync(string operationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM parked_operations WHERE operation_id = $1");
        command.Parameters.AddWithValue(operationId);
        var found = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyList<ParkedOperation>> ListAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM parked_operations WHERE ($1::text IS NULL OR state = $1) ORDER BY parked_at LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)state ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.AddWithValue(limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parks <paramref name="operation"/> unless it is already parked; false when it was.</summary>
    public async Task<bool> ParkAsync(EngineOperation operation, string reason, DateTimeOffset now, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO parked_operations (operation_id, kind, payload, reason, chat_id, parked_at, state, attempts, last_error, next_attempt_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'parked', 1, $4, $7)
            ON CONFLICT (operation_id) DO NOTHING
            """);
        AddRowParameters(command, operation, reason, now);
        command.Parameters.AddWithValue(nextAttemptAt);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Records that <paramref name="operation"/> was applied, and closes its parked row if it had one.</summary>
    public async Task RecordAppliedAsync(EngineOperation operation, JsonObject result, DateTimeOffset now, long? resumedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO applied_operations (operation_id, kind, result, applied_at) VALUES ($1, $2, $3, $4) ON CONFLICT (operation_id) DO NOTHING", connection, transaction))
        {
            insert.Parameters.AddWithValue(operation.Id);
            insert.Parameters.AddWithValue(operation.Kind);
            insert.Parameters.Add(new NpgsqlParameter { Value = result.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.AddWithValue(now);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var update = new NpgsqlCommand(
            "UPDATE parked_operations SET state = 'applied', applied_at = $2, resumed_at = $2, resumed_by = $3, attempts = attempts + 1 WHERE operation_id = $1 AND state <> 'applied'",
            connection, transaction))
        {
            update.Parameters.AddWithValue(operation.Id);
            update.Parameters.AddWithValue(now);
            update.Parameters.Add(new NpgsqlParameter { Value = (object?)resumedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Another failed attempt: counts it, keeps the error and when to try next (or <c>failed</c> when the engine refused it).</summary>
    public async Task RecordAttemptAsync(string operationId, string state, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE parked_operations SET state = $2, attempts = attempts + 1, last_error = $3, next_attempt_at = $4 WHERE operation_id = $1 AND state IN ('parked', 'failed')");
        command.Parameters.AddWithValue(operationId);
        command.Parameters.AddWithValue(state);
        command.Parameters.AddWithValue(error);
        command.Parameters.AddWithValue(nextAttemptAt);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DiscardAsync(string operationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE parked_operations SET state = 'discarded', discarded_at = $2 WHERE operation_id = $1 AND state IN ('parked', 'failed')");
        command.Parameters.AddWithValue(operationId);
        command.Parameters.AddWithValue(now);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Makes sure <paramref name="operation"/> is never applied: its parked or failed row is discarded, or, when it
    /// was never seen, a discarded row is left for it to find when it arrives. False when it was discarded already.
    /// </summary>
    public async Task<bool> WithdrawAsync(EngineOperation operation, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO parked_operations (operation_id, kind, payload, reason, chat_id, parked_at, state, attempts, last_error, next_attempt_at, discarded_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'discarded', 0, $4, $6, $6)
            ON CONFLICT (operation_id) DO UPDATE SET state = 'discarded', discarded_at = $6, last_error = $4
            WHERE parked_operations.state IN ('parked', 'failed')
            """);
        AddRowParameters(command, operation, reason, now);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Parked work whose next attempt is due (all parked work when <paramref name="all"/>), oldest first.</summary>
    public async Task<IReadOnlyList<ParkedOperation>> DueAsync(DateTimeOffset now, bool all, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM parked_operations WHERE state = 'parked' AND ($3 OR next_attempt_at <= $1) ORDER BY parked_at LIMIT $2");
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(limit);
        command.Parameters.AddWithValue(all);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many operations wait and since when the oldest has waited.</summary>
    public async Task<(long Count, DateTimeOffset? Oldest)> WaitingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*), min(parked_at) FROM parked_operations WHERE state = 'parked'");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    private static async Task<IReadOnlyList<ParkedOperation>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var list = new List<ParkedOperation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ParkedOperation(
                reader.GetString(0), reader.GetString(1), JsonNode.Parse(reader.GetString(2))!.AsObject(), reader.GetString(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return list;
    }

    // $1 to $6 of a new parked_operations row: id, kind, payload, reason, chat, time.
    private static void AddRowParameters(NpgsqlCommand command, EngineOperation operation, string reason, DateTimeOffset now)
    {
        command.Parameters.AddWithValue(operation.Id);
        command.Parameters.AddWithValue(operation.Kind);
        command.Parameters.Add(new NpgsqlParameter { Value = operation.Payload.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.AddWithValue(reason);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)operation.ChatId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.AddWithValue(now);
    }
}
