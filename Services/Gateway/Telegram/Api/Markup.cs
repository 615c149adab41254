namespace Atlas.Gateway.Telegram.Api;

/// <summary>Buttons under a message.</summary>
public sealed record InlineKeyboardMarkup(IReadOnlyList<IReadOnlyList<InlineKeyboardButton>> InlineKeyboard);

/// <summary>One inline button: a callback (<see cref="CallbackData"/>) or a link (<see cref="Url"/>).</summary>
public sealed record InlineKeyboardButton(string Text, string? CallbackData = null, string? Url = null);

/// <summary>An entry of the bot's command menu (setMyCommands).</summary>
public sealed record BotCommand(string Command, string Description);

/// <summary>Which message a new message replies to.</summary>
public sealed record ReplyParameters(long MessageId, bool? AllowSendingWithoutReply = true);
