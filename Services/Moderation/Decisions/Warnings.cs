using Atlas.Contracts.Moderation;
using Atlas.Moderation.Commands;
using Atlas.Moderation.Rules;
using Atlas.Moderation.Settings;

namespace Atlas.Moderation.Decisions;

/// <summary>
/// Warnings, from admins (<c>/warn</c>) and from rules. Reaching the chat's warn limit clears the member's warnings
/// and takes the configured action (mute or ban, timed or for good).
/// </summary>
public sealed class Warnings
{
    public async Task<WarnResult> WarnAsync(
        ModerationSession session, ChatSettings settings, AuditEntry warning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(warning);
        var reason = string.Join("; ", warning.Reasons);
        // Two warnings of one member decided at once must not both see the limit reached (or both miss it).
        await using (var lockMember = session.Command(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 11))", $"warn:{warning.ChatId}:{warning.UserId}"))
        {
            await lockMember.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var insert = session.Command(
            "INSERT INTO warnings (warning_id, chat_id, user_id, reason, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5, $6)",
            session.NextId("warning"), warning.ChatId, warning.UserId, reason, IssuerOf(warning.Actor), session.Now))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await session.AuditAsync(warning with { Action = "Warn" }, cancellationToken).ConfigureAwait(false);
        var count = await CountAsync(session, warning.ChatId, warning.UserId, cancellationToken).ConfigureAwait(false);
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
        await using var count = session.Command(
            "SELECT count(*) FROM warnings WHERE chat_id = $1 AND user_id = $2 AND (expires_at IS NULL OR expires_at > $3)", chatId, userId, session.Now);
        return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
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
