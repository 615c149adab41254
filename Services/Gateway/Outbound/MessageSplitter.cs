using System.Text.RegularExpressions;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// Cuts a text longer than Telegram allows into parts that each fit, in order: at the last line break of a part when
/// there is one in its second half, else at the last space, else hard at the limit (never inside a surrogate pair).
/// The break character itself is dropped; parts of only white space are left out. Telegram HTML (<paramref name="html"/>)
/// is never cut inside a tag or an entity, and each part is whole markup: the tags open at a cut are closed at the end
/// of the part and opened again at the start of the next (a code block over two messages is code in both).
/// </summary>
internal static partial class MessageSplitter
{
    public static IReadOnlyList<string> Split(string text, int maxLength, bool html = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (text.Length <= maxLength)
        {
            return [text];
        }

        // Where a cut may fall: anywhere in plain text; in HTML, not inside a tag (<a href="...">) or an entity (&amp;).
        var markup = html ? MarkupRanges(text) : null;
        bool Free(int index) => markup is null || !markup[index];

        var parts = new List<string>();
        var start = 0;
        while (text.Length - start > maxLength)
        {
            // A break at index maxLength still leaves a part of maxLength characters.
            var minimum = start + maxLength / 2;
            var cut = LastIndexAtOrAfter(text, start + maxLength, minimum, i => text[i] == '\n' && Free(i));
            if (cut < 0)
            {
                cut = LastIndexAtOrAfter(text, start + maxLength, minimum, i => char.IsWhiteSpace(text[i]) && Free(i));
            }

            if (cut >= 0)
            {
                Add(parts, text.AsSpan(start, cut - start));
                start = cut + 1;
            }
            else
            {
                var end = start + maxLength;
                while (end > start + 1 && (char.IsLowSurrogate(text[end]) || !Free(end)))
                {
                    end--;
                }

                Add(parts, text.AsSpan(start, end - start));
                start = end;
            }
        }

        Add(parts, text.AsSpan(start));
        return html ? Balanced(parts) : parts;
    }

    private static int LastIndexAtOrAfter(string text, int from, int minimum, Func<int, bool> isBreak)
    {
        for (var i = from; i >= minimum; i--)
        {
            if (isBreak(i))
            {
                return i;
            }
        }

        return -1;
    }

    // True for each character inside a tag or an entity (its first character, where a cut would start the next part, is free).
    private static bool[] MarkupRanges(string text)
    {
        var inside = new bool[text.Length + 1];
        foreach (Match match in MarkupToken().Matches(text))
        {
            for (var i = match.Index + 1; i < match.Index + match.Length; i++)
            {
                inside[i] = true;
            }
        }

        return inside;
    }

    // Each part closes the tags still open at its end, and the next part opens them again, in the same order.
    private static List<string> Balanced(List<string> parts)
    {
        var balanced = new List<string>(parts.Count);
        var open = new List<(string Name, string Tag)>();
        foreach (var part in parts)
        {
            var prefix = string.Concat(open.Select(t => t.Tag));
            foreach (Match tag in Tag().Matches(part))
            {
                var name = tag.Groups[2].Value.ToLowerInvariant();
                if (tag.Groups[1].Length == 0)
                {
                    open.Add((name, tag.Value));
                }
                else if (open.FindLastIndex(t => t.Name == name) is var at and >= 0)
                {
                    open.RemoveAt(at);
                }
            }

            balanced.Add(prefix + part + string.Concat(Enumerable.Reverse(open).Select(t => $"</{t.Name}>")));
        }

        return balanced;
    }

    [GeneratedRegex(@"<[^<>]*>|&#?[A-Za-z0-9]{1,10};")]
    private static partial Regex MarkupToken();

    [GeneratedRegex(@"<(/?)([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>")]
    private static partial Regex Tag();

    private static void Add(List<string> parts, ReadOnlySpan<char> part)
    {
        if (!part.IsWhiteSpace())
        {
            parts.Add(part.ToString());
        }
    }
}
