using Atlas.Gateway.Commands;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Groups;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Handling;

/// <summary>
/// The gateway's one update handler: private messages go to commands or the LLM chat, group messages to Moderation,
/// membership changes to the membership store, button presses to their action. Kinds it does not handle are logged
/// and counted (<c>luka_updates_dropped_total{reason="unsupported"}</c>), never an error.
/// </summary>
public sealed class UpdateHandler(
    HandlerRunner runner,
    PrivateMessageRouter privateMessages,
    GroupMessageHandler groupMessages,
    MembershipHandler memberships,
    CallbackQueryHandler callbacks,
    GatewayMetrics metrics,
    ILogger<UpdateHandler> logger) : IUpdateHandler
{
    public Task HandleAsync(Update update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var context = new UpdateContext(update);
        return update switch
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
            _ => Unsupported(context),
        };
    }

    // An edit in a group can turn a harmless message into spam: Moderation sees it again. Private edits are ignored.
    private Task HandleEditAsync(UpdateContext context, Message edited, CancellationToken cancellationToken)
    {
        if (edited.Chat.IsGroup && edited.From is { } author)
        {
            return runner.RunAsync(
                "edited_message", context, ct => groupMessages.PublishAsync(context, edited, author, ct), cancellationToken);
        }

        return Unsupported(context);
    }

    private Task Unsupported(UpdateContext context)
    {
        GatewayLog.UpdateUnsupported(logger, context.UpdateId, context.Update.Type);
        metrics.UpdateDropped("unsupported");
        return Task.CompletedTask;
    }
}
