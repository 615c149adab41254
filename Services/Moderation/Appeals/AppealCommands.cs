using System.Globalization;
using Atlas.Contracts.Moderation;
using Atlas.Contracts.Workflow;
using Atlas.Moderation.Decisions;
using Atlas.Moderation.Rules;

namespace Atlas.Moderation.Appeals;

/// <summary>
/// <c>/appeals</c> lists a chat's open appeals; <c>/resolve &lt;id&gt; accept|reject</c> settles one. Accepting lifts the
/// restriction the appeal was about (unban after a ban, unmute after a mute); the member hears the result in private,
/// and Workflow withdraws its review of the appeal (<see cref="CancelAppealReview"/>).
/// </summary>
public sealed class AppealCommands(AppealsGauge gauge)
{
    public static bool Handles(string name) => name is "appeals" or "resolve";

    public async Task<string> ExecuteAsync(ModerationSession session, MessagePosted message, Commands.CommandLine command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Name == "appeals")
        {
            return await ListAsync(session, message.ChatId, cancellationToken).ConfigureAwait(false);
        }

        if (command.Arguments.Count < 2 || !long.TryParse(command.Arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out var appealId)
            || command.Arguments[1] is not ("accept" or "reject"))
        {
            return "Usage: /resolve <appeal id> accept|reject";
        }

        var accept = command.Arguments[1] == "accept";
        await using var update = session.Command(
            """
            UPDATE appeals SET status = $3, resolved_by = $4, resolved_at = $5
            WHERE appeal_id = $1 AND chat_id = $2 AND status = 'open' RETURNING user_id, action, review_id
            """,
            appealId, message.ChatId, accept ? "accepted" : "rejected", message.UserId, session.Now);
        long userId;
        string action;
        Guid? reviewId;
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return $"There is no open appeal #{appealId} in this chat.";
            }

            userId = reader.GetInt64(0);
            action = reader.GetString(1);
            reviewId = reader.IsDBNull(2) ? null : reader.GetGuid(2);
        }

        if (reviewId is { } review)
        {
            // Workflow's moderators no longer decide it: their task is withdrawn (appeals from before the review have none).
            session.Effects.Withdrawals.Add(new CancelAppealReview(review, message.ChatId, accept ? "accepted" : "rejected", session.Now));
        }

        var entry = new AuditEntry("", message.ChatId, userId, null, null, RuleNames.Appeal, $"admin:{message.UserId}",
            [$"appeal #{appealId} {(accept ? "accepted" : "rejected")}"], null);
        if (accept)
        {
            var lift = AppealedAction.LiftOf(action);
            await session.ActAsync(lift, entry, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await session.AuditAsync(entry with { Action = "AppealRejected" }, cancellationToken).ConfigureAwait(false);
        }

        session.Reply(userId, accept
            ? $"Your appeal #{appealId} was accepted; the restriction is lifted."
            : $"Your appeal #{appealId} was rejected.");
        gauge.Changed();
        return $"Appeal #{appealId} {(accept ? "accepted: the restriction is lifted" : "rejected")}.";
    }

    private static async Task<string> ListAsync(ModerationSession session, long chatId, CancellationToken cancellationToken)
    {
        await using var query = session.Command(
            "SELECT appeal_id, user_id, action, text, submitted_at FROM appeals WHERE chat_id = $1 AND status = 'open' ORDER BY appeal_id LIMIT 20",
            chatId);
        var lines = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            lines.Add($"#{reader.GetInt64(0)} user {reader.GetInt64(1)} ({reader.GetString(2)}): {reader.GetString(3)}");
        }

        return lines.Count == 0 ? "No open appeals." : "Open appeals:\n" + string.Join('\n', lines) + "\nResolve with /resolve <id> accept|reject";
    }
}
