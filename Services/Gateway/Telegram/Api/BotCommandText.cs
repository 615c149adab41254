namespace Atlas.Gateway.Telegram.Api;

/// <summary>A <c>/command[@bot] [arguments]</c> at the start of a message.</summary>
public sealed record BotCommandText(string Name, string? BotUsername, string Arguments)
{
    public static BotCommandText? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text[0] != '/' || text.Length < 2)
        {
            return null;
        }

        var end = text.AsSpan().IndexOfAny(' ', '\n', '\t');
        var head = end < 0 ? text[1..] : text[1..end];
        var arguments = end < 0 ? "" : text[(end + 1)..].Trim();
        var at = head.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? head : head[..at];
        if (name.Length == 0)
        {
            return null;
        }

        return new BotCommandText(name.ToLowerInvariant(), at < 0 ? null : head[(at + 1)..], arguments);
    }
}
