using System.Globalization;
using Atlas.Contracts.Moderation;

namespace Atlas.Moderation.Commands;

/// <summary>
/// An admin command as written in the group: <c>/name[@bot] [user id] [duration] [reason...]</c>. The target is the
/// author of the replied-to message, or the user id given as the first argument.
/// </summary>
public sealed record CommandLine(string Name, IReadOnlyList<string> Arguments, long? TargetUserId, long? TargetMessageId, TimeSpan? Duration, string Reason)
{
    public static CommandLine? Parse(MessagePosted message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Text?.Trim();
        if (string.IsNullOrEmpty(text) || text[0] != '/' || text.Length < 2)
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
        if (rest.Length > 0 && Durations.TryParse(rest[0], out var parsed))
        {
            duration = parsed;
            rest = rest[1..];
        }

        return new CommandLine(name, arguments, target, targetMessage, duration, string.Join(' ', rest.ToArray()));
    }
}
