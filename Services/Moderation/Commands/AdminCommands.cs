using Atlas.Contracts.Moderation;
using Atlas.Moderation.Appeals;
using Atlas.Moderation.Decisions;
using Atlas.Moderation.Diagnostics;
using Atlas.Moderation.Rules;
using Atlas.ServiceDefaults.Audit;

namespace Atlas.Moderation.Commands;

/// <summary>
/// The admin commands of a group (the caller has been checked as a chat admin): member actions here, settings in
/// <see cref="SettingsCommands"/>, appeals in <see cref="AppealCommands"/>. Every command answers once in the chat,
/// also when it is malformed (with its usage), and leaves a row in the ops audit log (actor <c>telegram:&lt;user id&gt;</c>,
/// source <c>bot</c>) in the event's transaction, so it is recorded exactly when its effects are.
/// </summary>
public sealed class AdminCommands(
    SettingsCommands settingsCommands, AppealCommands appealCommands, Warnings warnings, MemberFactsStore facts, ModerationMetrics metrics, OpsAudit audit)
{
    private static readonly HashSet<string> MemberCommands =
        ["warn", "warns", "resetwarns", "mute", "unmute", "ban", "unban", "kick", "approve", "why"];

    public static bool Handles(string name) =>
        MemberCommands.Contains(name) || SettingsCommands.Handles(name) || AppealCommands.Handles(name);

    private static readonly HashSet<string> Restricting = ["warn", "mute", "ban", "kick"];

    /// <summary>Runs <paramref name="command"/> of a chat admin; <paramref name="chatAdmins"/> are the chat's admins (the bot among them).</summary>
    public async Task ExecuteAsync(
        ModerationSession session, MessagePosted message, CommandLine command, IReadOnlySet<long> chatAdmins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(chatAdmins);
        string reply;
        var refused = false;
        if (SettingsCommands.Handles(command.Name))
        {
            reply = await settingsCommands.ExecuteAsync(session, message, command, cancellationToken).ConfigureAwait(false);
        }
        else if (AppealCommands.Handles(command.Name))
        {
            reply = await appealCommands.ExecuteAsync(session, message, command, cancellationToken).ConfigureAwait(false);
        }
        else if (command.Name is "mute" or "ban" && command.UnreadableDuration is { } unreadable)
        {
            reply = $"Usage: /{command.Name} [user id] [duration] [reason]. \"{unreadable}\" is not a duration: write 30s, 10m, 3h, 2d or 1w " +
                $"({Durations.Format(Durations.Shortest)} to {Durations.Format(Durations.Longest)}), or leave it out for good. Nothing was done.";
        }
        else if (Restricting.Contains(command.Name) && command.TargetUserId is { } admin && chatAdmins.Contains(admin))
        {
            // Telegram refuses to restrict an admin (or the bot itself, which is one): say so now rather than claim it was done.
            reply = $"User {admin} is an admin of this chat, and Telegram lets no bot /{command.Name} an admin. Nothing was done.";
            refused = true;
        }
        else if (command.TargetUserId is not { } target)
        {
            reply = $"Usage: reply to the member's message or give their user id: /{command.Name} <user id>" +
                (command.Name is "mute" or "ban" ? " [10m|3h|2d] [reason]" : " [reason]");
        }
        else
        {
            reply = await MemberAsync(session, message, command, target, cancellationToken).ConfigureAwait(false);
        }

        var invalid = refused || reply.StartsWith("Usage", StringComparison.Ordinal);
        metrics.Command(command.Name, invalid ? "invalid" : "done");
        var on = command.TargetUserId is { } user ? $"chat {message.ChatId} user {user}" : $"chat {message.ChatId}";
        await audit.RecordAsync(
            new OpsAction($"telegram:{message.UserId}", OpsSources.Bot, $"/{command.Name} {string.Join(' ', command.Arguments)}".Trim(), on),
            invalid ? OpsOutcomes.Failed : OpsOutcomes.Succeeded, null, invalid ? reply : null, session.Transaction, cancellationToken).ConfigureAwait(false);
        session.Reply(message.ChatId, reply, message.MessageId);
    }

    private async Task<string> MemberAsync(ModerationSession session, MessagePosted message, CommandLine command, long target, CancellationToken cancellationToken)
    {
        var reason = command.Reason.Length > 0 ? command.Reason : $"/{command.Name} by an admin";
        var entry = new AuditEntry("", message.ChatId, target, command.TargetMessageId, null, RuleNames.Admin, $"admin:{message.UserId}", [reason], null);
        var until = command.Duration is { } duration ? session.Now + duration : (DateTimeOffset?)null;
        var span = command.Duration is null ? "for good" : "for " + Durations.Format(command.Duration);
        switch (command.Name)
        {
            case "warn":
                var state = await facts.ReadAsync(session, message.ChatId, target, cancellationToken).ConfigureAwait(false);
                var result = await warnings.WarnAsync(session, state.Settings, entry, cancellationToken).ConfigureAwait(false);
                return result.Escalation is { } action
                    ? $"User {target} reached {result.Count} warnings and is {Warnings.Describe(action, result.EscalationDuration)}."
                    : $"User {target} warned ({result.Count}/{state.Settings.WarnLimit}): {reason}";
            case "warns":
                var chat = await facts.ReadAsync(session, message.ChatId, target, cancellationToken).ConfigureAwait(false);
                var live = await warnings.LiveAsync(session, chat.Settings, message.ChatId, target, cancellationToken).ConfigureAwait(false);
                return ListWarnings(target, live, chat.Settings.WarnLimit, session.Now);
            case "resetwarns":
                var member = await facts.ReadAsync(session, message.ChatId, target, cancellationToken).ConfigureAwait(false);
                var removed = await warnings.ResetAsync(session, member.Settings, message.ChatId, target, cancellationToken).ConfigureAwait(false);
                await session.AuditAsync(entry with { Action = "ResetWarnings", Reasons = [$"{removed} warnings removed"] }, cancellationToken).ConfigureAwait(false);
                return $"Warnings of user {target} reset ({removed} removed).";
            case "mute":
                await session.ActAsync(ModerationAction.Restrict, entry with { Until = until }, cancellationToken).ConfigureAwait(false);
                return $"User {target} is muted {span}: {reason}";
            case "unmute":
                await session.ActAsync(ModerationAction.Unrestrict, entry, cancellationToken).ConfigureAwait(false);
                return $"User {target} may speak again.";
            case "ban":
                await session.ActAsync(ModerationAction.Ban, entry with { Until = until }, cancellationToken).ConfigureAwait(false);
                return $"User {target} is banned {span}: {reason}";
            case "unban":
                await session.ActAsync(ModerationAction.Unban, entry, cancellationToken).ConfigureAwait(false);
                return $"User {target} is unbanned.";
            case "kick":
                await session.ActAsync(ModerationAction.Kick, entry, cancellationToken).ConfigureAwait(false);
                return $"User {target} is removed from the chat: {reason}";
            case "approve":
                await using (var approve = session.Command(
                    "INSERT INTO trusted_users (chat_id, user_id, approved_by, approved_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    message.ChatId, target, message.UserId, session.Now))
                {
                    await approve.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await session.AuditAsync(entry with { Action = "Approve" }, cancellationToken).ConfigureAwait(false);
                return $"User {target} is approved: the rules no longer act on them.";
            default:
                return await WhyAsync(session, message.ChatId, target, command.TargetMessageId, cancellationToken).ConfigureAwait(false);
        }
    }

    // "User 5 has 2 of 3 warnings: ...", then when the oldest stops counting.
    private static string ListWarnings(long target, IReadOnlyList<LiveWarning> live, int limit, DateTimeOffset now)
    {
        if (live.Count == 0)
        {
            return $"User {target} has no warnings.";
        }

        var expiry = live[0].ExpiresAt is { } expires
            ? $"The oldest expires {expires:yyyy-MM-dd HH:mm} UTC (in {Durations.Format(Durations.Rounded(expires - now))})."
            : "Warnings do not expire in this chat.";
        return $"User {target} has {live.Count} of {limit} warnings:\n- " + string.Join("\n- ", live.Select(w => w.Reason)) + "\n" + expiry;
    }

    private static async Task<string> WhyAsync(ModerationSession session, long chatId, long target, long? messageId, CancellationToken cancellationToken)
    {
        await using var query = session.Command(
            """
            SELECT a.action, a.rule, a.reasons::text, a.recorded_at, o.outcome FROM audit_log a LEFT JOIN action_outcomes o USING (action_id)
            WHERE a.chat_id = $1 AND a.user_id = $2 AND ($3::bigint IS NULL OR a.message_id = $3)
            ORDER BY a.audit_id DESC LIMIT 5
            """,
            chatId, target, (object?)messageId ?? DBNull.Value);
        query.Parameters[2].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
        var lines = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var reasons = System.Text.Json.JsonSerializer.Deserialize<string[]>(reader.GetString(2)) ?? [];
            // Telegram's outcome belongs to what Telegram carries out; a warning or a settings change has none to wait for.
            var action = reader.GetString(0);
            var outcome = !reader.IsDBNull(4) ? $" ({reader.GetString(4)})" : Enum.IsDefined(typeof(ModerationAction), action) ? " (pending)" : "";
            lines.Add($"{reader.GetFieldValue<DateTimeOffset>(3):yyyy-MM-dd HH:mm} UTC {action} by {reader.GetString(1)}: {string.Join("; ", reasons)}{outcome}");
        }

        return lines.Count == 0 ? $"Nothing recorded for user {target} here." : $"Recorded for user {target}:\n" + string.Join('\n', lines);
    }
}
