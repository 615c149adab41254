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
    private readonly List<NpgsqlBatchCommand> _pendingWrites = [];
    private int _sequence;

    public string EventKey { get; } = eventKey;

    public NpgsqlTransaction Transaction { get; } = transaction;

    public Effects Effects { get; } = new();

    public DateTimeOffset Now { get; init; } = time.GetUtcNow();

    /// <summary>
    /// In a group write (<see cref="DecisionWriter"/>): the warnings in force of the members the group's events may
    /// warn, read under those members' locks as the group began and kept current as its events warn and reset (their
    /// writes are queued, in order, with the audit rows); null in a transaction of its own.
    /// </summary>
    public Dictionary<(long ChatId, long UserId), long>? WarningCounts { get; init; }

    /// <summary>Records <paramref name="entry"/> and asks the gateway to carry out <paramref name="action"/>.</summary>
    public async Task<Guid> ActAsync(ModerationAction action, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var actionId = await AuditAsync(entry with { Action = action.ToString() }, cancellationToken).ConfigureAwait(false);
        Effects.Actions.Add(new ModerationActionRequested(
            actionId, action, entry.ChatId, entry.UserId, entry.MessageId, entry.Until, string.Join("; ", entry.Reasons)));
        return actionId;
    }

    /// <summary>
    /// Appends an audit row (also for what is not a Telegram action: warnings, settings changes). The row is written
    /// with the event's record at the end of the transaction, in one round trip with the others: nothing reads an
    /// event's own audit rows before its commit. Action ids are stable per event, so a row a concurrent delivery of the
    /// same event wrote first is left alone (that delivery's transaction then finds the event recorded and rolls back).
    /// </summary>
    public Task<Guid> AuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        var actionId = NextId("action");
        _pendingWrites.Add(Statement(
            """
            INSERT INTO audit_log (action_id, action, chat_id, user_id, message_id, until, reason, actor, rule, reasons, excerpt, event_key, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)
            ON CONFLICT (action_id) DO NOTHING
            """,
            actionId, entry.Action, entry.ChatId, entry.UserId, (object?)entry.MessageId ?? DBNull.Value,
            new NpgsqlParameter { Value = (object?)entry.Until ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
            string.Join("; ", entry.Reasons), entry.Actor, entry.Rule, JsonSerializer.Serialize(entry.Reasons),
            new NpgsqlParameter { Value = (object?)entry.Excerpt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            EventKey, Now));
        _recorded.Add((actionId, entry));
        return Task.FromResult(actionId);
    }

    /// <summary>Queues a write to be sent with the event's record (statements run in the order queued).</summary>
    public void Queue(NpgsqlBatchCommand statement) => _pendingWrites.Add(statement);

    /// <summary>The writes queued so far (audit rows), handed over once to be sent with the event's record.</summary>
    public IReadOnlyList<NpgsqlBatchCommand> TakePendingWrites()
    {
        var writes = _pendingWrites.ToArray();
        _pendingWrites.Clear();
        return writes;
    }

    /// <summary>Several statements in this transaction, sent in one round trip.</summary>
    public NpgsqlBatch Batch(params NpgsqlBatchCommand[] statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var batch = new NpgsqlBatch(Transaction.Connection, Transaction);
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(statement);
        }

        return batch;
    }

    /// <summary>One statement of a <see cref="Batch"/>, with positional parameters (a value, or an <see cref="NpgsqlParameter"/> to type it).</summary>
    public static NpgsqlBatchCommand Statement(string sql, params object[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            statement.Parameters.Add(parameter as NpgsqlParameter ?? new NpgsqlParameter { Value = parameter });
        }

        return statement;
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
