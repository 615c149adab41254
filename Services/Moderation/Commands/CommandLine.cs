using System.Globalization;
using Atlas.Contracts.Moderation;

namespace Atlas.Moderation.Commands;

/// <summary>
/// An admin command as written in the group: <c>/name[@bot] [user id] [duration] [reason...]</c>. The target is the
/// author of the replied-to message, or the user id given as the first argument. A word in the duration's place that
/// starts with a digit (or a sign before one) but is no duration (<c>10x</c>, <c>30</c>, <c>0m</c>, <c>10s</c>, <c>-5m</c>,
/// <c>400d</c>) is kept as
/// <see cref="UnreadableDuration"/>, not taken as the reason: a typo must not turn a timed mute into a permanent one.
/// A command for another bot in the group (<see cref="MessagePosted.ForAnotherBot"/>) is no command here.
/// </summary>
public sealed record CommandLine(string Name, IReadOnlyList<string> Arguments, long? TargetUserId, long? TargetMessageId, TimeSpan? Duration, string Reason)
{
    /// <summary>The word in the duration's place that looks like a duration but cannot be read as one; null when there is none.</summary>
    public string? UnreadableDuration { get; init; }

    public static CommandLine? Parse(MessagePosted message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Text?.Trim();
        if (message.ForAnotherBot || string.IsNullOrEmpty(text) || text[0] != '/' || text.Length < 2)
        {
            return null;
        }

        var words = text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var head = words[0][1..];
        var at = head.IndexOf('@', StringComparison.Ordinal);
        var name = (at < 0 ? head : head[..at]).ToLowerInvariant();
        var arguments = words[1..];

        var rest = arguments.AsSpan();
        long? target = message.ReplyToUserId;
        var targetMessage = message.ReplyToMessageId;
        if (rest.Length > 0 && long.TryParse(rest[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            target = id;
            targetMessage = null;
            rest = rest[1..];
        }

        TimeSpan? duration = null;
        string? unreadable = null;
        if (rest.Length > 0 && Durations.TryParse(rest[0], out var parsed))
        {
            duration = parsed;
            rest = rest[1..];
        }
        else if (rest.Length > 0 && LooksLikeANumber(rest[0]))
        {
            unreadable = rest[0];
        }

        return new CommandLine(name, arguments, target, targetMessage, duration, string.Join(' ', rest.ToArray())) { UnreadableDuration = unreadable };
    }

    // 10x, 30, -5m, +2h, .5h: meant as a duration, whatever else it is.
    private static bool LooksLikeANumber(string word)
    {
        var digits = word.AsSpan().TrimStart("+-.");
        return digits.Length > 0 && char.IsAsciiDigit(digits[0]);
    }
}
