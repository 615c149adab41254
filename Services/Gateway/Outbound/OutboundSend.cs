using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Gateway.Outbound;

/// <summary>sendMessage for a message in our own shape (parse mode by name, reply by message id, stored keyboard).</summary>
internal static class OutboundSend
{
    public static Task<Message> SendAsync(
        this ITelegramBotClient client, long chatId, string text, string? parseMode, long? replyToMessageId, OutboundKeyboard? keyboard,
        CancellationToken cancellationToken) =>
        client.SendMessage(
            chatId,
            text,
            ParseModeOf(parseMode),
            replyToMessageId is { } id ? new ReplyParameters { MessageId = checked((int)id), AllowSendingWithoutReply = true } : null,
            keyboard?.ToMarkup(),
            cancellationToken: cancellationToken);

    /// <summary>"HTML", "Markdown" or "MarkdownV2" in any letter case; anything else sends plain text.</summary>
    private static ParseMode ParseModeOf(string? name) =>
        name is not null && Enum.TryParse<ParseMode>(name, ignoreCase: true, out var mode) ? mode : ParseMode.None;
}
