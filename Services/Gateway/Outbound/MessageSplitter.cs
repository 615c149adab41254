namespace Atlas.Gateway.Outbound;

/// <summary>
/// Cuts a text longer than Telegram allows into parts that each fit, in order: at the last line break of a part when
/// there is one in its second half, else at the last space, else hard at the limit (never inside a surrogate pair).
/// The break character itself is dropped; parts of only white space are left out.
/// </summary>
internal static class MessageSplitter
{
    public static IReadOnlyList<string> Split(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (text.Length <= maxLength)
        {
            return [text];
        }

        var parts = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > maxLength)
        {
            // A break at index maxLength still leaves a part of maxLength characters.
            var window = rest[..(maxLength + 1)];
            var minimum = maxLength / 2;
            var cut = LastIndexAtOrAfter(window, minimum, static c => c == '\n');
            if (cut < 0)
            {
                cut = LastIndexAtOrAfter(window, minimum, char.IsWhiteSpace);
            }

            if (cut >= 0)
            {
                Add(parts, rest[..cut]);
                rest = rest[(cut + 1)..];
            }
            else
            {
                var length = char.IsHighSurrogate(rest[maxLength - 1]) ? maxLength - 1 : maxLength;
                Add(parts, rest[..length]);
                rest = rest[length..];
            }
        }

        Add(parts, rest);
        return parts;
    }

    private static int LastIndexAtOrAfter(ReadOnlySpan<char> window, int minimum, Func<char, bool> isBreak)
    {
        for (var i = window.Length - 1; i >= minimum; i--)
        {
            if (isBreak(window[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void Add(List<string> parts, ReadOnlySpan<char> part)
    {
        if (!part.IsWhiteSpace())
        {
            parts.Add(part.ToString());
        }
    }
}
