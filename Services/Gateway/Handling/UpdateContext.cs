using System.Globalization;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Handling;

/// <summary>One update being handled: where answers go, who asked, and in which language to answer.</summary>
public sealed class UpdateContext
{
    public UpdateContext(Update update)
    {
        ArgumentNullException.ThrowIfNull(update);
        Update = update;
        User = update.From;
        ChatId = update.Chat?.Id ?? User?.Id;
        Culture = BotTexts.CultureFor(User?.LanguageCode);
    }

    public Update Update { get; }

    /// <summary>The ingest batch the update came in, when its effects may be left to it (see <see cref="IngestBatch"/>).</summary>
    public IngestBatch? Batch { get; init; }

    public long UpdateId => Update.UpdateId;

    /// <summary>The chat replies go to (the user's private chat for a callback without a message), if any.</summary>
    public long? ChatId { get; }

    public User? User { get; }

    /// <summary>The message of a <c>message</c> update.</summary>
    public Message? Message => Update.Message;

    public CultureInfo Culture { get; }

    /// <summary>Whether someone waits for an answer in a private chat (so a failure gets a polite reply).</summary>
    public bool UserIsWaiting => Update.Message?.Chat.IsPrivate == true || Update.CallbackQuery is not null;

    /// <summary>The text <paramref name="key"/> in the user's language.</summary>
    public string Text(string key, params object?[] arguments) =>
        arguments.Length == 0 ? BotTexts.Get(key, Culture) : BotTexts.Format(key, Culture, arguments);
}
