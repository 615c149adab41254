using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;

namespace Atlas.Moderation.Audit;

/// <summary>One exported audit row, with Telegram's outcome when the gateway has reported it.</summary>
public sealed record AuditRecord(
    long AuditId, Guid ActionId, string Action, long ChatId, long UserId, long? MessageId, DateTimeOffset? Until, string Rule,
    string Actor, IReadOnlyList<string> Reasons, string? Excerpt, DateTimeOffset RecordedAt, string? Outcome);

/// <summary>Reads the audit log for a time range (streamed, in order) and the per-rule per-day trends.</summary>
public sealed class AuditReader(NpgsqlDataSource dataSource)
{
    public async IAsyncEnumerable<AuditRecord> ReadAsync(
        DateTimeOffset from, DateTimeOffset to, long? chatId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT a.audit_id, a.action_id, a.action, a.chat_id, a.user_id, a.message_id, a.until, a.rule, a.actor, a.reasons::text,
                   a.excerpt, a.recorded_at, o.outcome
            FROM audit_log a LEFT JOIN action_outcomes o USING (action_id)
            WHERE a.recorded_at >= $1 AND a.recorded_at < $2 AND ($3::bigint IS NULL OR a.chat_id = $3)
            ORDER BY a.audit_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)chatId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new AuditRecord(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetString(7), reader.GetString(8), JsonSerializer.Deserialize<string[]>(reader.GetString(9)) ?? [],
                reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetFieldValue<DateTimeOffset>(11), reader.IsDBNull(12) ? null : reader.GetString(12));
        }
    }

    /// <summary>Actions per rule per day per chat (warnings and settings changes left out), oldest day first.</summary>
    public async Task<IReadOnlyList<TrendPoint>> TrendsAsync(DateTimeOffset from, DateTimeOffset to, long? chatId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT (recorded_at AT TIME ZONE 'UTC')::date AS day, chat_id, rule, count(*)
            FROM audit_log
            WHERE recorded_at >= $1 AND recorded_at < $2 AND ($3::bigint IS NULL OR chat_id = $3)
              AND action IN ('DeleteMessage', 'Restrict', 'Ban', 'Kick', 'Warn')
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)chatId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        var points = new List<TrendPoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            points.Add(new TrendPoint(reader.GetFieldValue<DateOnly>(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return points;
    }
}

/// <summary>How many actions <see cref="Rule"/> caused in <see cref="ChatId"/> on <see cref="Day"/> (UTC).</summary>
public sealed record TrendPoint(DateOnly Day, long ChatId, string Rule, long Actions);
