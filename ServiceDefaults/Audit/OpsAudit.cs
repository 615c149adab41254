using System.Runtime.CompilerServices;
using Atlas.ServiceDefaults.Redaction;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Atlas.ServiceDefaults.Audit;

/// <summary>
/// The ops audit log of this service, in the <c>ops_audit</c> table of its own database (created by ServiceDefaults'
/// shared migration; append-only by trigger). An action that can be refused is recorded in two steps: its row is
/// written before it runs (<see cref="BeginAsync"/>; when that fails the action must not run) and its outcome set once
/// when it ends (<see cref="CompleteAsync"/>). What happens inside a caller's transaction is one row with its outcome
/// (<see cref="RecordAsync(OpsAction, string, int?, string?, NpgsqlTransaction, CancellationToken)"/>), atomic with the
/// action itself. Details pass the secret redactor and are cut to <see cref="MaxDetailLength"/> characters.
/// </summary>
public sealed partial class OpsAudit(
    NpgsqlDataSource dataSource, ServiceIdentity identity, TimeProvider time, OpsAuditMetrics metrics, SecretRedactor redactor, ILogger<OpsAudit> logger)
{
    public const int MaxDetailLength = 500;

    private const string Insert = """
        INSERT INTO ops_audit (at, service, actor, source, action, target, outcome, status, detail, completed_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
        """;

    /// <summary>The service name every row of this process carries.</summary>
    public string Service => identity.Name;

    /// <summary>Writes the action's row (outcome <c>pending</c>) before it runs; throws <see cref="OpsAuditUnavailableException"/> when it cannot.</summary>
    public async Task<long> BeginAsync(OpsAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await using var command = dataSource.CreateCommand(Insert);
            AddRow(command.Parameters, action, OpsOutcomes.Pending, null, null, completed: false);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            metrics.WriteFailed(identity.Name);
            Log.NotWritten(logger, exception, action.Action, action.Source, "the action was refused");
            throw new OpsAuditUnavailableException("The ops audit log cannot be written, so the action was not run.", exception);
        }
    }

    /// <summary>Sets the outcome of a row from <see cref="BeginAsync"/>. Never throws: the action has happened; a failure is logged and counted.</summary>
    public async Task CompleteAsync(long id, OpsAction action, string outcome, int? status, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        metrics.Action(identity.Name, action.Source, outcome);
        try
        {
            await using var command = dataSource.CreateCommand(
                "UPDATE ops_audit SET outcome = $2, status = $3, detail = $4, completed_at = $5 WHERE id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            command.Parameters.Add(new NpgsqlParameter { Value = outcome });
            command.Parameters.Add(Nullable(status, NpgsqlDbType.Integer));
            command.Parameters.Add(Nullable(Clean(detail), NpgsqlDbType.Text));
            command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            metrics.WriteFailed(identity.Name);
            Log.NotWritten(logger, exception, action.Action, action.Source, $"its row {id} stays pending; the outcome was {outcome}");
        }
    }

    /// <summary>
    /// One row with its outcome, for an action that is over (a refusal). Never throws: a refusal must still be answered;
    /// a failure is logged and counted.
    /// </summary>
    public async Task RecordAsync(OpsAction action, string outcome, int? status, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        metrics.Action(identity.Name, action.Source, outcome);
        try
        {
            await using var command = dataSource.CreateCommand(Insert);
            AddRow(command.Parameters, action, outcome, status, detail, completed: true);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            metrics.WriteFailed(identity.Name);
            Log.NotWritten(logger, exception, action.Action, action.Source, $"the outcome was {outcome}");
        }
    }

    /// <summary>One row with its outcome in <paramref name="transaction"/>: it commits or rolls back with the action. Errors propagate.</summary>
    public async Task RecordAsync(
        OpsAction action, string outcome, int? status, string? detail, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(transaction);
        await using var command = new NpgsqlCommand(Insert, transaction.Connection, transaction);
        AddRow(command.Parameters, action, outcome, status, detail, completed: true);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        metrics.Action(identity.Name, action.Source, outcome);
    }

    /// <summary>The rows with <paramref name="from"/> &lt;= at &lt; <paramref name="to"/> (either open), oldest first, read as they stream.</summary>
    public async IAsyncEnumerable<OpsAuditRecord> ReadAsync(DateTimeOffset? from, DateTimeOffset? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, at, service, actor, source, action, target, outcome, status, detail, completed_at FROM ops_audit
            WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2) ORDER BY at, id
            """);
        command.Parameters.Add(Nullable(from, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(Nullable(to, NpgsqlDbType.TimestampTz));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new OpsAuditRecord(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10));
        }
    }

    private void AddRow(NpgsqlParameterCollection parameters, OpsAction action, string outcome, int? status, string? detail, bool completed)
    {
        var now = time.GetUtcNow();
        parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter { Value = identity.Name });
        parameters.Add(new NpgsqlParameter { Value = Clean(action.Actor) ?? "unknown" });
        parameters.Add(new NpgsqlParameter { Value = action.Source });
        parameters.Add(new NpgsqlParameter { Value = Clean(action.Action) ?? "unknown" });
        parameters.Add(Nullable(Clean(action.Target), NpgsqlDbType.Text));
        parameters.Add(new NpgsqlParameter { Value = outcome });
        parameters.Add(Nullable(status, NpgsqlDbType.Integer));
        parameters.Add(Nullable(Clean(detail), NpgsqlDbType.Text));
        parameters.Add(Nullable(completed ? now : (DateTimeOffset?)null, NpgsqlDbType.TimestampTz));
    }

    // Free text passes the redactor, loses control characters and is cut short.
    private string? Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var redacted = new string([.. redactor.Redact(text).Select(c => char.IsControl(c) ? ' ' : c)]);
        return redacted.Length <= MaxDetailLength ? redacted : redacted[..(MaxDetailLength - 1)] + "…";
    }

    private static NpgsqlParameter Nullable<T>(T? value, NpgsqlDbType type) where T : struct =>
        new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = type };

    private static NpgsqlParameter Nullable(string? value, NpgsqlDbType type) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = type };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "OPS AUDIT NOT WRITTEN for {Action} from {Source}: {Consequence}")]
        public static partial void NotWritten(ILogger logger, Exception exception, string action, string source, string consequence);
    }
}
