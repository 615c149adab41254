using Atlas.Contracts.Moderation;
using Atlas.Moderation.Commands;
using Atlas.Moderation.Rules;
using Atlas.Moderation.Settings;
using Npgsql;

namespace Atlas.Moderation.Decisions;

/// <summary>
/// Warnings, from admins (<c>/warn</c>) and from rules. Reaching the chat's warn limit clears the member's warnings
/// and takes the configured action (mute or ban, timed or for good).
/// </summary>
public sealed class Warnings
{
    private const string CountSql =
        "SELECT count(*) AS warnings_in_force FROM warnings WHERE chat_id = $1 AND user_id = $2 AND (expires_at IS NULL OR expires_at > $3)";

    public async Task<WarnResult> WarnAsync(
        ModerationSession session, ChatSettings settings, AuditEntry warning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(warning);
        var reason = string.Join("; ", warning.Reasons);
        // Two warnings of one member decided at once must not both see the limit reached (or both miss it): the member's
        // lock, the new warning and the count go in one round trip.
        var warningId = session.NextId("warning");
        await session.AuditAsync(warning with { Action = "Warn" }, cancellationToken).ConfigureAwait(false);
        long count;
        await using (var warn = session.Batch(
            ModerationSession.Statement("SELECT pg_advisory_xact_lock(hashtextextended($1, 11))", $"warn:{warning.ChatId}:{warning.UserId}"),
            ModerationSession.Statement(
                "INSERT INTO warnings (warning_id, chat_id, user_id, reason, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5, $6)",
                warningId, warning.ChatId, warning.UserId, reason, IssuerOf(warning.Actor), session.Now),
            ModerationSession.Statement(CountSql, warning.ChatId, warning.UserId, session.Now)))
        {
            await using var reader = await warn.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            count = await LastCountAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        if (count < settings.WarnLimit)
        {
            return new WarnResult(count, null, null);
        }

        await ResetAsync(session, warning.ChatId, warning.UserId, cancellationToken).ConfigureAwait(false);
        var action = settings.WarnAction == "ban" ? ModerationAction.Ban : ModerationAction.Restrict;
        var until = settings.WarnActionDuration is { } duration ? session.Now + duration : (DateTimeOffset?)null;
        await session.ActAsync(
            action,
            warning with
            {
                Until = until,
                Rule = RuleNames.WarnLimit,
                Reasons = [$"{count} warnings (limit {settings.WarnLimit})", .. warning.Reasons],
            },
            cancellationToken).ConfigureAwait(false);
        return new WarnResult(count, action, settings.WarnActionDuration);
    }

    public static async Task<long> CountAsync(ModerationSession session, long chatId, long userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var count = session.Command(CountSql, chatId, userId, session.Now);
        return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    // The count is the batch's last result set (the lock's and the insert's come first).
    private static async Task<long> LastCountAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        long count = 0;
        do
        {
            if (reader.FieldCount == 1 && reader.GetName(0) == "warnings_in_force" && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                count = reader.GetInt64(0);
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return count;
    }

    public static async Task<IReadOnlyList<string>> ReasonsAsync(ModerationSession session, long chatId, long userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var command = session.Command(
            "SELECT reason FROM warnings WHERE chat_id = $1 AND user_id = $2 AND (expires_at IS NULL OR expires_at > $3) ORDER BY issued_at",
            chatId, userId, session.Now);
        var reasons = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            reasons.Add(reader.GetString(0));
        }

        return reasons;
    }

    public static async Task<int> ResetAsync(ModerationSession session, long chatId, long userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var delete = session.Command("DELETE FROM warnings WHERE chat_id = $1 AND user_id = $2", chatId, userId);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How an escalation reads in the chat: "muted for 1d", "banned for good".</summary>
    public static string Describe(ModerationAction action, TimeSpan? duration) =>
        $"{(action == ModerationAction.Ban ? "banned" : "muted")} {(duration is null ? "for good" : "for " + Durations.Format(duration))}";

    private static object IssuerOf(string actor) =>
        actor.StartsWith("admin:", StringComparison.Ordinal) && long.TryParse(actor.AsSpan(6), out var id) ? id : DBNull.Value;
}

/// <summary>The member's warning count after a warning, and the escalation it caused (if any).</summary>
public sealed record WarnResult(long Count, ModerationAction? Escalation, TimeSpan? EscalationDuration);
