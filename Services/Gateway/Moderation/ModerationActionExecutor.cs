using Atlas.Contracts.Moderation;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Client;
using Atlas.Gateway.Telegram.Resilience;
using Npgsql;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Atlas.Gateway.Moderation;

/// <summary>
/// Executes a <see cref="ModerationActionRequested"/> against Telegram once per <see cref="ModerationActionRequested.ActionId"/>:
/// the id is recorded in <c>moderation_actions_executed</c> in the same transaction that holds an advisory lock on it,
/// so a redelivery (even a concurrent one) finds it and does nothing. A message that is already gone counts as
/// deleted; a refusal Telegram will repeat (no rights, user not found) is recorded and not retried; server errors and
/// network failures are retried a little through <see cref="TelegramResilience"/> (<see cref="TelegramRetry.Briefly"/>,
/// which also waits out a short flood wait) and then go back to the caller so the bus retries. A longer flood wait closes the
/// chat (<see cref="ChatFloodGate"/>) until Telegram's retry_after has passed, and the bus retries meanwhile without
/// calling Telegram.
/// </summary>
public sealed class ModerationActionExecutor(
    NpgsqlDataSource dataSource, TelegramResilience telegram, ChatFloodGate floodGate, ILogger<ModerationActionExecutor> logger)
{
    /// <summary>Carries out <paramref name="action"/> unless it was already; returns its recorded outcome either way.</summary>
    public async Task<string> ExecuteAsync(ModerationActionRequested action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockAction = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 20))", connection, transaction))
        {
            lockAction.Parameters.Add(new NpgsqlParameter { Value = action.ActionId });
            await lockAction.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var seen = new NpgsqlCommand("SELECT outcome FROM moderation_actions_executed WHERE action_id = $1", connection, transaction))
        {
            seen.Parameters.Add(new NpgsqlParameter { Value = action.ActionId });
            if (await seen.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string before)
            {
                GatewayLog.ModerationAlreadyDone(logger, action.ActionId, action.Action, before);
                return before;
            }
        }

        var outcome = await ExecuteOnTelegramAsync(action, cancellationToken).ConfigureAwait(false);
        await using (var record = new NpgsqlCommand(
            "INSERT INTO moderation_actions_executed (action_id, action, chat_id, user_id, outcome) VALUES ($1, $2, $3, $4, $5)",
            connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = action.ActionId });
            record.Parameters.Add(new NpgsqlParameter { Value = action.Action.ToString() });
            record.Parameters.Add(new NpgsqlParameter { Value = action.ChatId });
            record.Parameters.Add(new NpgsqlParameter { Value = action.UserId });
            record.Parameters.Add(new NpgsqlParameter { Value = outcome });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        GatewayLog.ModerationExecuted(logger, action.ActionId, action.Action, action.ChatId, outcome);
        return outcome;
    }

    private async Task<string> ExecuteOnTelegramAsync(ModerationActionRequested action, CancellationToken cancellationToken)
    {
        var remaining = floodGate.Remaining(action.ChatId);
        if (remaining > TimeSpan.Zero)
        {
            throw new FloodWaitPendingException(action.ChatId, remaining);
        }

        if (action.Action == ModerationAction.DeleteMessage && action.MessageId is null)
        {
            return "invalid: DeleteMessage without a message id";
        }

        try
        {
            await CallWithShortFloodWaitAsync(action, cancellationToken).ConfigureAwait(false);
            return "done";
        }
        catch (Exception exception) when (IsAlreadyGone(action, exception))
        {
            return "done: the message was already gone";
        }
        catch (Exception exception) when (exception.ErrorCode() is not null && !exception.IsTransientTelegramFailure())
        {
            GatewayLog.ModerationRefused(logger, action.ActionId, action.Action, action.ChatId, exception.Message);
            return $"refused: {exception.Describe()}";
        }
    }

    // Short flood waits and passing failures are the pipeline's; a longer flood wait closes the chat and is the bus's to retry.
    private async Task CallWithShortFloodWaitAsync(ModerationActionRequested action, CancellationToken cancellationToken)
    {
        try
        {
            await telegram.ExecuteAsync(
                $"moderation {action.Action}", TelegramRetry.Briefly, (client, ct) => CallAsync(client, action, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception.IsFloodWait())
        {
            var wait = exception.WaitBeforeRetry() ?? TimeSpan.FromSeconds(1);
            GatewayLog.ModerationFloodWait(logger, action.ActionId, action.Action, (exception.RetryAfter() ?? wait).TotalSeconds);
            floodGate.Close(action.ChatId, wait);
            throw;
        }
    }

    private static Task CallAsync(ITelegramBotClient client, ModerationActionRequested action, CancellationToken cancellationToken)
    {
        var until = action.Until?.UtcDateTime;
        return action.Action switch
        {
            ModerationAction.DeleteMessage => client.DeleteMessage(action.ChatId, checked((int)action.MessageId!.Value), cancellationToken),
            ModerationAction.Restrict => client.RestrictChatMember(
                action.ChatId, action.UserId, Muted, useIndependentChatPermissions: true, untilDate: until, cancellationToken: cancellationToken),
            ModerationAction.Ban => client.BanChatMember(action.ChatId, action.UserId, until, cancellationToken: cancellationToken),
            ModerationAction.Unban => client.UnbanChatMember(action.ChatId, action.UserId, onlyIfBanned: true, cancellationToken),
            ModerationAction.Kick => KickAsync(client, action, cancellationToken),
            ModerationAction.Unrestrict => client.RestrictChatMember(
                action.ChatId, action.UserId, MemberPermissions.Default, useIndependentChatPermissions: true, cancellationToken: cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action.Action, "Unknown moderation action."),
        };
    }

    // Telegram has no kick: a ban followed by an unban removes the member and lets them rejoin.
    private static async Task KickAsync(ITelegramBotClient client, ModerationActionRequested action, CancellationToken cancellationToken)
    {
        await client.BanChatMember(action.ChatId, action.UserId, cancellationToken: cancellationToken).ConfigureAwait(false);
        await client.UnbanChatMember(action.ChatId, action.UserId, onlyIfBanned: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Read-only: nothing may be sent (a mute).</summary>
    private static ChatPermissions Muted => new()
    {
        CanSendMessages = false, CanSendAudios = false, CanSendDocuments = false, CanSendPhotos = false,
        CanSendVideos = false, CanSendVideoNotes = false, CanSendVoiceNotes = false, CanSendPolls = false,
        CanSendOtherMessages = false, CanAddWebPagePreviews = false,
    };

    private static bool IsAlreadyGone(ModerationActionRequested action, Exception exception) =>
        action.Action == ModerationAction.DeleteMessage && exception.ErrorCode() == 400
        && exception.Message.Contains("message to delete not found", StringComparison.OrdinalIgnoreCase);
}
