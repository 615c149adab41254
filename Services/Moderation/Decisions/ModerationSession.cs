using System.Text.Json;
using Atlas.Contracts.Moderation;
using Atlas.Contracts.Telegram;
using Atlas.Moderation.Diagnostics;
using Atlas.Moderation.Storage;
using Npgsql;

namespace Atlas.Moderation.Decisions;

/// <summary>
/// The database transaction in which one event is decided. Everything the decision changes (audit rows, warnings,
/// settings, appeals) is written in it, together with the event's key and the bus messages it produced; the
/// messages are published only after the commit (see <see cref="ModerationSessions"/>).
/// </summary>
public sealed class ModerationSession(
    string eventKey, NpgsqlTransaction transaction, TimeProvider time, ModerationMetrics metrics, ILogger logger)
{
    private readonly List<(Guid ActionId, AuditEntry Entry)> _recorded = [];
    private int _sequence;

    public string EventKey { get; } = eventKey;

    public NpgsqlTransaction Transaction { get; } = transaction;

    public Effects Effects { get; } = new();

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    /// <summary>Records <paramref name="entry"/> and asks the gateway to carry out <paramref name="action"/>.</summary>
    public async Task<Guid> ActAsync(ModerationAction action, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var actionId = await AuditAsync(entry with { Action = action.ToString() }, cancellationToken).ConfigureAwait(false);
        Effects.Actions.Add(new ModerationActionRequested(
            actionId, action, entry.ChatId, entry.UserId, entry.MessageId, entry.Until, string.Join("; ", entry.Reasons)));
        return actionId;
    }

    /// <summary>Appends an audit row (also for what is not a Telegram action: warnings, settings changes).</summary>
    public async Task<Guid> AuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var actionId = NextId("action");
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO audit_log (action_id, action, chat_id, user_id, message_id, until, reason, actor, rule, reasons, excerpt, event_key, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)
            """,
            Transaction.Connection, Transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = actionId });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Action });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.ChatId });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.UserId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.MessageId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Until ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = string.Join("; ", entry.Reasons) });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Actor });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Rule });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(entry.Reasons) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Excerpt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = EventKey });
        command.Parameters.Add(new NpgsqlParameter { Value = Now });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _recorded.Add((actionId, entry));
        return actionId;
    }

    /// <summary>A message from the bot to <paramref name="chatId"/>, sent once however often the event is redelivered.</summary>
    public void Reply(long chatId, string text, long? replyToMessageId = null) =>
        Effects.Replies.Add(new SendTelegramMessage($"moderation:{EventKey}:{Effects.Replies.Count}", chatId, text, null, replyToMessageId));

    /// <summary>A command in this transaction (positional parameters).</summary>
    public NpgsqlCommand Command(string sql, params object[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var command = new NpgsqlCommand(sql, Transaction.Connection, Transaction);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    /// <summary>After the commit: counts the recorded rows and writes each as a structured event for the SIEM.</summary>
    public void Published()
    {
        foreach (var (actionId, entry) in _recorded)
        {
            metrics.ActionRecorded(entry.Action, entry.Rule);
            var reasons = string.Join("; ", entry.Reasons);
            ModerationLog.Audit(logger, actionId, entry.Action, entry.ChatId, entry.UserId, entry.Rule, entry.Actor, entry.Until, reasons);
        }
    }

    /// <summary>A stable id for the next thing this event creates.</summary>
    public Guid NextId(string purpose) => StableIds.For(EventKey, $"{purpose}:{_sequence++}");
}
