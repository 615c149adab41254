using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Atlas.Sandbox.Telegram.Messages;

/// <summary>
/// parse_mode HTML as Telegram reads it: b/strong, i/em, u/ins, s/strike/del, tg-spoiler or span class="tg-spoiler",
/// a href, code, pre (with code class="language-x"), blockquote [expandable], tg-emoji; &amp;lt; &amp;gt; &amp;amp;
/// &amp;quot; and numeric entities. Unknown or unbalanced tags fail as "can't parse entities".
/// </summary>
internal static partial class HtmlEntityParser
{
    private static readonly Dictionary<string, string> SimpleTags = new(StringComparer.Ordinal)
    {
        ["b"] = "bold", ["strong"] = "bold", ["i"] = "italic", ["em"] = "italic", ["u"] = "underline", ["ins"] = "underline",
        ["s"] = "strikethrough", ["strike"] = "strikethrough", ["del"] = "strikethrough", ["tg-spoiler"] = "spoiler",
    };

    public static string? Parse(string text, out string plain, out JsonArray? entities)
    {
        var builder = new EntityBuilder(text);
        var tags = new Stack<string>();
        var error = Read(text, builder, tags);
        plain = builder.Text;
        entities = builder.Entities();
        return error is null ? null : "can't parse entities: " + error;
    }

    private static string? Read(string text, EntityBuilder builder, Stack<string> tags)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '&')
            {
                i = ReadCharacterReference(text, i, builder);
                continue;
            }

            if (c != '<')
            {
                builder.Append(c);
                i++;
                continue;
            }

            var end = text.IndexOf('>', i);
            if (end < 0)
            {
                return $"Unclosed start tag at byte offset {builder.ByteOffset(i)}";
            }

            var tag = text[(i + 1)..end];
            var problem = tag.StartsWith('/') ? CloseTag(tag[1..].Trim().ToLowerInvariant(), builder, tags, i) : OpenTag(tag, builder, tags, i);
            if (problem is not null)
            {
                return problem;
            }

            i = end + 1;
        }

        return tags.Count > 0 ? $"Can't find end tag corresponding to start tag \"{tags.Peek()}\"" : null;
    }

    private static string? OpenTag(string tag, EntityBuilder builder, Stack<string> tags, int index)
    {
        var match = TagShape().Match(tag);
        var name = match.Groups["name"].Value.ToLowerInvariant();
        var attributes = match.Groups["attributes"].Value;
        string? type = SimpleTags.GetValueOrDefault(name);
        var extra = new JsonObject();
        switch (name)
        {
            case "span" when Attribute(attributes, "class") == "tg-spoiler":
                type = "spoiler";
                break;
            case "a":
                type = "text_link";
                extra["url"] = Attribute(attributes, "href") ?? "";
                break;
            case "code" when builder.TopType == "pre":
                // <pre><code class="language-x"> gives the pre its language instead of a code entity.
                type = "code-in-pre";
                break;
            case "code":
                type = "code";
                break;
            case "pre":
                type = "pre";
                break;
            case "blockquote":
                type = Attribute(attributes, "expandable") is not null ? "expandable_blockquote" : "blockquote";
                break;
            case "tg-emoji":
                type = "custom_emoji";
                extra["custom_emoji_id"] = Attribute(attributes, "emoji-id") ?? "";
                break;
        }

        if (type is null)
        {
            return $"Unsupported start tag \"{name}\" at byte offset {builder.ByteOffset(index)}";
        }

        if (type == "code-in-pre" && Attribute(attributes, "class") is { } language && language.StartsWith("language-", StringComparison.Ordinal))
        {
            builder.SetOnInnermost("language", language["language-".Length..]);
        }

        tags.Push(name);
        builder.Open(type, index, extra);
        return null;
    }

    private static string? CloseTag(string name, EntityBuilder builder, Stack<string> tags, int index)
    {
        if (tags.Count == 0 || tags.Peek() != name)
        {
            var expected = tags.Count == 0 ? "nothing" : $"\"</{tags.Peek()}>\"";
            return $"Unmatched end tag at byte offset {builder.ByteOffset(index)}, expected {expected}, found \"</{name}>\"";
        }

        tags.Pop();
        if (builder.TopType == "code-in-pre")
        {
            builder.Discard();
            return null;
        }

        builder.Close();
        return null;
    }

    private static int ReadCharacterReference(string text, int index, EntityBuilder builder)
    {
        var end = text.IndexOf(';', index);
        var reference = end > index ? text[index..(end + 1)] : "";
        var decoded = reference switch
        {
            "&lt;" => "<",
            "&gt;" => ">",
            "&amp;" => "&",
            "&quot;" => "\"",
            _ when reference.StartsWith("&#x", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(reference[3..^1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex) && hex is > 0 and <= 0x10FFFF => char.ConvertFromUtf32(hex),
            _ when reference.StartsWith("&#", StringComparison.Ordinal)
                && int.TryParse(reference[2..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 0x10FFFF => char.ConvertFromUtf32(number),
            _ => null,
        };
        if (decoded is null)
        {
            builder.Append('&');
            return index + 1;
        }

        builder.Append(decoded);
        return end + 1;
    }

    private static string? Attribute(string attributes, string name)
    {
        foreach (Match match in AttributeShape().Matches(attributes))
        {
            if (string.Equals(match.Groups["name"].Value, name, StringComparison.OrdinalIgnoreCase))
            {
                return WebUtility.HtmlDecode(match.Groups["value"].Success ? match.Groups["value"].Value : "");
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z][A-Za-z0-9-]*)(?<attributes>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex TagShape();

    [GeneratedRegex("""(?<name>[A-Za-z-]+)(?:\s*=\s*(?:"(?<value>[^"]*)"|'(?<value>[^']*)'|(?<value>[^\s"'>]+)))?""", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeShape();
}
