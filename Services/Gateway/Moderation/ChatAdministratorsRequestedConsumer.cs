using Atlas.Contracts.Moderation;
using Atlas.Gateway.Telegram.Client;
using MassTransit;
using Telegram.Bot;

namespace Atlas.Gateway.Moderation;

/// <summary>
/// Moderation asks who administers a chat: answered from Telegram's getChatAdministrators. A Telegram error faults
/// the request, so Moderation's request times out or fails and it treats the list as unknown.
/// </summary>
public sealed class ChatAdministratorsRequestedConsumer(TelegramBot telegram) : IConsumer<ChatAdministratorsRequested>
{
    public async Task Consume(ConsumeContext<ChatAdministratorsRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var members = await telegram.Client().GetChatAdministrators(context.Message.ChatId, cancellationToken: context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new ChatAdministrators(context.Message.ChatId, [.. members.Select(m => m.User.Id)])).ConfigureAwait(false);
    }
}
