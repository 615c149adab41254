using Atlas.Gateway.Admin;
using Atlas.Gateway.Commands;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Freeze;
using Atlas.Gateway.Groups;
using Atlas.Gateway.Locales;
using Atlas.Gateway.RateLimiting;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Handling;

/// <summary>
/// The gateway's one update handler. Private messages and button presses of everyone but admins pass the inbound rate
/// limits (an over-limit user is told once per episode, then dropped as <c>rate_limited</c>). While inbound is frozen
/// only admins are served: everyone else's updates are held in arrival order (<see cref="HeldUpdateStore"/>) and each
/// user is told once that they will be answered after the pause; while the hold drains, an update of a chat that still
/// has held updates joins the hold behind them. Then private messages go to commands or the LLM chat, group messages
/// to Moderation, membership changes to the membership store and button presses to their action. Kinds it does not
/// handle are logged and dropped as <c>unsupported</c>. <see cref="ReplayAsync"/> handles a held update.
/// </summary>
public sealed class UpdateHandler(
    HandlerRunner runner,
    PrivateMessageRouter privateMessages,
    GroupMessageHandler groupMessages,
    MembershipHandler memberships,
    CallbackQueryHandler callbacks,
    AdminOptions admins,
    InboundControl inbound,
    HeldUpdateStore held,
    InboundRateLimiter rateLimiter,
    Replies replies,
    GatewayMetrics metrics,
    ILogger<UpdateHandler> logger) : IUpdateHandler
{
    public Task HandleAsync(Update update, IngestBatch? batch, CancellationToken cancellationToken) =>
        HandleAsync(update, batch, replayed: false, cancellationToken);

    /// <summary>Handles a held update at unfreeze: it passed the rate limits when it was held, and the freeze is over for it.</summary>
    public Task ReplayAsync(Update update, CancellationToken cancellationToken) => HandleAsync(update, null, replayed: true, cancellationToken);

    /// <summary>The chat whose order a held update keeps (its chat, else its user, else itself).</summary>
    public static long ChatKeyOf(Update update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.Chat?.Id ?? update.From?.Id ?? update.UpdateId;
    }

    private async Task HandleAsync(Update update, IngestBatch? batch, bool replayed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var context = new UpdateContext(update) { Batch = batch };
        var isAdmin = admins.IsAdmin(context.User?.Id);
        if (!isAdmin && !replayed)
        {
            var fromUser = update.Message?.Chat.IsPrivate == true || update.CallbackQuery is not null;
            if (fromUser && context.User is { } user && await IsOverLimitAsync(context, user, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (await IsHeldAsync(context, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        await (update switch
        {
            { Message: { Chat.IsPrivate: true } message } => privateMessages.HandleAsync(context, message, cancellationToken),
            { Message: { Chat.IsGroup: true } message } =>
                runner.RunAsync("group_message", context, ct => groupMessages.HandleAsync(context, message, ct), cancellationToken),
            { EditedMessage: { } edited } => HandleEditAsync(context, edited, cancellationToken),
            { CallbackQuery: { } query } => callbacks.HandleAsync(context, query, cancellationToken),
            { ChatMember: { } change } =>
                runner.RunAsync("chat_member", context, ct => memberships.HandleAsync(context, change, isBot: false, ct), cancellationToken),
            { MyChatMember: { } change } =>
                runner.RunAsync("my_chat_member", context, ct => memberships.HandleAsync(context, change, isBot: true, ct), cancellationToken),
            _ => Drop(context, "unsupported"),
        }).ConfigureAwait(false);
    }

    // Frozen: the update is held. Draining: it is held only behind its chat's held updates, else handled now.
    private async Task<bool> IsHeldAsync(UpdateContext context, CancellationToken cancellationToken)
    {
        var state = await inbound.GetAsync(cancellationToken).ConfigureAwait(false);
        var episode = state.Since?.ToUnixTimeMilliseconds() ?? 0;
        var update = context.Update;
        switch (state.Phase)
        {
            case FreezePhase.Frozen:
                await held.HoldAsync(update, ChatKeyOf(update), episode, cancellationToken).ConfigureAwait(false);
                break;
            case FreezePhase.Draining when await held.HoldBehindChatAsync(update, ChatKeyOf(update), episode, cancellationToken).ConfigureAwait(false):
                break;
            default:
                return false;
        }

        GatewayLog.UpdateHeld(logger, context.UpdateId, context.User?.Id, state.Phase);
        if (context.UserIsWaiting && context.User is { } user && await inbound.ShouldNotifyAsync(state, user.Id, cancellationToken).ConfigureAwait(false))
        {
            await NotifyAsync(context, TextKeys.Paused, "paused", cancellationToken).ConfigureAwait(false);
        }

        await AnswerCallbackAsync(context, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> IsOverLimitAsync(UpdateContext context, User user, CancellationToken cancellationToken)
    {
        var decision = await rateLimiter.CheckAsync(user.Id, cancellationToken).ConfigureAwait(false);
        if (decision.Allowed)
        {
            return false;
        }

        await Drop(context, "rate_limited").ConfigureAwait(false);
        if (decision.FirstInEpisode)
        {
            GatewayLog.RateLimited(logger, user.Id, decision.Scope ?? "user", decision.Tier);
            await NotifyAsync(context, TextKeys.RateLimited, "rate-limited", cancellationToken).ConfigureAwait(false);
        }

        await AnswerCallbackAsync(context, cancellationToken).ConfigureAwait(false);
        return true;
    }

    // An edit in a group can turn a harmless message into spam: Moderation sees it again. Private edits are ignored.
    private Task HandleEditAsync(UpdateContext context, Message edited, CancellationToken cancellationToken)
    {
        if (edited.Chat.IsGroup && edited.From is { } author)
        {
            return runner.RunAsync(
                "edited_message", context, ct => groupMessages.PublishAsync(context, edited, author, ct), cancellationToken);
        }

        return Drop(context, "unsupported");
    }

    private async Task NotifyAsync(UpdateContext context, string key, string purpose, CancellationToken cancellationToken)
    {
        await runner.RunAsync(purpose, context, ct => replies.SendAsync(context, context.Text(key), ct, purpose), cancellationToken)
            .ConfigureAwait(false);
    }

    private Task AnswerCallbackAsync(UpdateContext context, CancellationToken cancellationToken) =>
        context.Update.CallbackQuery is { } query ? callbacks.AnswerAsync(context, query, null, cancellationToken) : Task.CompletedTask;

    private Task Drop(UpdateContext context, string reason)
    {
        if (reason == "unsupported")
        {
            GatewayLog.UpdateUnsupported(logger, context.UpdateId, context.Update.Type);
        }
        else
        {
            GatewayLog.UpdateDropped(logger, context.UpdateId, context.User?.Id, reason);
        }

        metrics.UpdateDropped(reason);
        return Task.CompletedTask;
    }
}
