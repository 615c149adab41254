namespace Atlas.Contracts.Moderation;

/// <summary>
/// A message appeared (or was edited, <see cref="Edited"/>) in a group the bot is in; Moderation judges it.
/// <see cref="ReplyToMessageId"/> and <see cref="ReplyToUserId"/> name the message it answers, which admin commands
/// such as <c>/ban</c> use as their target.
/// </summary>
public sealed record MessagePosted(
    long UpdateId,
    long ChatId,
    long MessageId,
    long UserId,
    string? Username,
    string? Text,
    DateTimeOffset PostedAt,
    long? ReplyToMessageId = null,
    long? ReplyToUserId = null,
    bool Edited = false)
{
    /// <summary>
    /// The message is a command addressed to another bot in the group (<c>/ban@other_bot</c>): Moderation judges it
    /// like any message but does not take it as a command of its own.
    /// </summary>
    public bool ForAnotherBot { get; init; }
}
