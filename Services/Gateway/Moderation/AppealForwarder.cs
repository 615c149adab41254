using System.Globalization;
using Atlas.Contracts.Moderation;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Telegram.Api;
using MassTransit;

namespace Atlas.Gateway.Moderation;

/// <summary>
/// <c>/appeal [chat id] text</c> in a private chat goes to Moderation as <see cref="AppealSubmitted"/>, before the
/// password gate (a banned user may never have passed it). Moderation answers the user itself.
/// </summary>
public sealed class AppealForwarder(IBus bus, TimeProvider time)
{
    public const string CommandName = "appeal";

    public Task ForwardAsync(UpdateContext context, BotCommandText command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(command);
        var userId = context.User?.Id ?? context.ChatId ?? 0;
        var arguments = command.Arguments;
        long? chatId = null;
        var firstSpace = arguments.IndexOf(' ', StringComparison.Ordinal);
        var first = firstSpace < 0 ? arguments : arguments[..firstSpace];
        if (first.StartsWith('-') && long.TryParse(first, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var named))
        {
            chatId = named;
            arguments = firstSpace < 0 ? "" : arguments[(firstSpace + 1)..].Trim();
        }

        var appeal = new AppealSubmitted(context.UpdateId, userId, chatId, arguments, time.GetUtcNow());
        var messageId = UpdateMessageIds.For(context.UpdateId, "appeal");
        return bus.Publish(appeal, publish => publish.MessageId = messageId, cancellationToken);
    }
}
