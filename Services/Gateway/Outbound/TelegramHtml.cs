using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Atlas.Gateway.Outbound;

/// <summary>Text for Telegram's <c>parse_mode</c> HTML, and back to plain text when Telegram cannot read it.</summary>
public static partial class TelegramHtml
{
    public const string ParseMode = "HTML";

    /// <summary>Text shown as written: Telegram's HTML needs only &amp;, &lt; and &gt; escaped.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>Appends <paramref name="text"/> escaped, with each <c>**word**</c> in bold; a <c>**</c> without its pair stays as written.</summary>
    public static void AppendBoldMarked(StringBuilder html, string text)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split("**");
        for (var i = 0; i < parts.Length; i++)
        {
            var closed = i % 2 == 1 && i < parts.Length - 1;
            if (i % 2 == 1 && !closed)
            {
                html.Append("**");
            }

            html.Append(closed ? "<b>" : "").Append(Escape(parts[i])).Append(closed ? "</b>" : "");
        }
    }

    /// <summary>
    /// Markdown as language models write it, as Telegram HTML: fenced code blocks, `code`, **bold** and __bold__,
    /// *italic* and _italic_ (not inside words, so snake_case stays), ~~strikethrough~~, [links](https://...), headings
    /// (bold) and list bullets (•). Everything else is escaped and shown as written, so an unmatched delimiter stays a
    /// character; nothing can make the result markup Telegram refuses.
    /// </summary>
    public static string FromMarkdown(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var html = new StringBuilder(markdown.Length + 32);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? fence = null;
        var code = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                if (fence is null)
                {
                    fence = trimmed[3..].Trim();
                    code.Clear();
                }
                else
                {
                    AppendCodeBlock(html, fence, code);
                    fence = null;
                    EndLine(html, i, lines.Length);
                }

                continue;
            }

            if (fence is not null)
            {
                code.Append(line).Append('\n');
                continue;
            }

            if (Heading().Match(line) is { Success: true } heading)
            {
                html.Append("<b>");
                AppendInline(html, heading.Groups[1].Value);
                html.Append("</b>");
            }
            else if (Bullet().Match(line) is { Success: true } bullet)
            {
                html.Append(bullet.Groups[1].Value).Append("• ");
                AppendInline(html, bullet.Groups[2].Value);
            }
            else
            {
                AppendInline(html, line);
            }

            EndLine(html, i, lines.Length);
        }

        if (fence is not null)
        {
            // An answer cut off inside its code block: the block still shows as code.
            AppendCodeBlock(html, fence, code);
        }

        return html.ToString();
    }

    private static void EndLine(StringBuilder html, int index, int count)
    {
        if (index < count - 1)
        {
            html.Append('\n');
        }
    }

    private static void AppendCodeBlock(StringBuilder html, string language, StringBuilder code)
    {
        var body = Escape(code.ToString().TrimEnd('\n'));
        _ = LanguageName().IsMatch(language)
            ? html.Append("<pre><code class=\"language-").Append(language).Append("\">").Append(body).Append("</code></pre>")
            : html.Append("<pre>").Append(body).Append("</pre>");
    }

    private static void AppendInline(StringBuilder html, string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '`' && text.IndexOf('`', i + 1) is var endCode and > 0 && endCode > i + 1)
            {
                html.Append("<code>").Append(Escape(text[(i + 1)..endCode])).Append("</code>");
                i = endCode + 1;
                continue;
            }

            if (c == '[' && Link().Match(text, i) is { Success: true } link && link.Index == i)
            {
                html.Append("<a href=\"").Append(Escape(link.Groups[2].Value).Replace("\"", "&quot;", StringComparison.Ordinal)).Append("\">");
                AppendInline(html, link.Groups[1].Value);
                html.Append("</a>");
                i += link.Length;
                continue;
            }

            if (Emphasis(text, i) is { } span)
            {
                html.Append('<').Append(span.Tag).Append('>');
                AppendInline(html, text[(i + span.Delimiter)..span.Close]);
                html.Append("</").Append(span.Tag).Append('>');
                i = span.Close + span.Delimiter;
                continue;
            }

            html.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => c.ToString() });
            i++;
        }
    }

    // **x**, __x__, ~~x~~, *x*, _x_ opening at i: the delimiter is followed by a non-space, a closing one preceded by a
    // non-space; underscores only at word edges.
    private static (string Tag, int Delimiter, int Close)? Emphasis(string text, int i)
    {
        var c = text[i];
        if (c is not ('*' or '_' or '~'))
        {
            return null;
        }

        var doubled = i + 1 < text.Length && text[i + 1] == c;
        if (c == '~' && !doubled)
        {
            return null;
        }

        var length = doubled ? 2 : 1;
        var delimiter = new string(c, length);
        var start = i + length;
        if (start >= text.Length || char.IsWhiteSpace(text[start]) || text[start] == c || (c == '_' && i > 0 && char.IsLetterOrDigit(text[i - 1])))
        {
            return null;
        }

        for (var close = text.IndexOf(delimiter, start + 1, StringComparison.Ordinal); close > 0; close = text.IndexOf(delimiter, close + 1, StringComparison.Ordinal))
        {
            var after = close + length;
            if (char.IsWhiteSpace(text[close - 1]) || (after < text.Length && text[after] == c) || (!doubled && text[close - 1] == c)
                || (c == '_' && after < text.Length && char.IsLetterOrDigit(text[after])))
            {
                continue;
            }

            return (c == '~' ? "s" : doubled ? "b" : "i", length, close);
        }

        return null;
    }

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(\s*)[-*+]\s+(.*)$")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"\[([^\]\n]+)\]\(((?:https?|tg)://[^\s()]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex("^[A-Za-z0-9_+#-]{1,32}$")]
    private static partial Regex LanguageName();

    /// <summary>
    /// What the reader would have seen, for sending HTML that Telegram refused as plain text: Telegram's tags removed
    /// and entities decoded (anything else that looks like a tag was text, and stays).
    /// </summary>
    public static string ToPlainText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        return WebUtility.HtmlDecode(TelegramTag().Replace(html, ""));
    }

    [GeneratedRegex(@"</?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|span|tg-spoiler|tg-emoji|blockquote)(\s[^<>]*)?>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TelegramTag();
}
