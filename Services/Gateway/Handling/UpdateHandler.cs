using Atlas.Gateway.Admin;
using Atlas.Gateway.Commands;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Groups;
using Atlas.Gateway.Locales;
using Atlas.Gateway.RateLimiting;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Handling;

/// <summary>
/// The gateway's one update handler. While inbound is frozen only admins are served (everyone else is told once and
/// the update is dropped as <c>frozen</c>); private messages and button presses pass the inbound rate limits (an
/// over-limit user is told once per episode, then dropped as <c>rate_limited</c>). Then private messages go to
/// commands or the LLM chat, group messages to Moderation, membership changes to the membership store and button
/// presses to their action. Kinds it does not handle are logged and dropped as <c>unsupported</c>.
/// </summary>
public sealed class UpdateHandler(
    HandlerRunner runner,
    PrivateMessageRouter privateMessages,
    GroupMessageHandler groupMessages,
    MembershipHandler memberships,
    CallbackQueryHandler callbacks,
    AdminOptions admins,
    InboundControl inbound,
    InboundRateLimiter rateLimiter,
    Replies replies,
    GatewayMetrics metrics,
    ILogger<UpdateHandler> logger) : IUpdateHandler
{
    public async Task HandleAsync(Update update, IngestBatch? batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var context = new UpdateContext(update) { Batch = batch };
        var isAdmin = admins.IsAdmin(context.User?.Id);
        if (!isAdmin && await IsFrozenAsync(context, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var fromUser = update.Message?.Chat.IsPrivate == true || update.CallbackQuery is not null;
        if (fromUser && !isAdmin && context.User is { } user && await IsOverLimitAsync(context, user, cancellationToken).ConfigureAwait(false))
        {
            return;
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

    private async Task<bool> IsFrozenAsync(UpdateContext context, CancellationToken cancellationToken)
    {
        var state = await inbound.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!state.Frozen)
        {
            return false;
        }

        await Drop(context, "frozen").ConfigureAwait(false);
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
