using Telegram.Bot.Types.ReplyMarkups;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// Buttons under a queued message, in the shape they wait in Redis (so a queue written by an older gateway still
/// reads); turned into Telegram.Bot's markup only when the message is sent.
/// </summary>
public sealed record OutboundKeyboard(IReadOnlyList<IReadOnlyList<OutboundButton>> InlineKeyboard)
{
    /// <summary>One row of callback buttons.</summary>
    public static OutboundKeyboard Row(params OutboundButton[] buttons) => new([buttons]);

    public InlineKeyboardMarkup ToMarkup() =>
        new(InlineKeyboard.Select(row => row.Select(button => button.ToButton())));
}

/// <summary>One inline button: a callback (<see cref="CallbackData"/>) or a link (<see cref="Url"/>).</summary>
public sealed record OutboundButton(string Text, string? CallbackData = null, string? Url = null)
{
    public InlineKeyboardButton ToButton() => Url is not null
        ? InlineKeyboardButton.WithUrl(Text, Url)
        : InlineKeyboardButton.WithCallbackData(Text, CallbackData ?? Text);
}
