using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Messages;

/// <summary>
/// parse_mode MarkdownV2 and the legacy Markdown. MarkdownV2: *bold*, _italic_, __underline__, ~strikethrough~,
/// ||spoiler||, `code`, ```pre```, [text](url), '>' quotes; every other reserved character must be escaped with '\'.
/// Markdown: *bold*, _italic_, `code`, ```pre```, [text](url), nothing else reserved.
/// </summary>
internal static class MarkdownEntityParser
{
    private const string Reserved = "_*[]()~`>#+-=|{}.!";

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["bold"] = "Bold", ["italic"] = "Italic", ["underline"] = "Underline", ["strikethrough"] = "Strikethrough",
        ["spoiler"] = "Spoiler", ["text_link"] = "TextUrl", ["blockquote"] = "Blockquote",
    };

    public static string? Parse(string text, bool legacy, out string plain, out JsonArray? entities)
    {
        var builder = new EntityBuilder(text);
        var error = legacy ? ReadLegacy(text, builder) : ReadV2(text, builder);
        plain = builder.Text;
        entities = builder.Entities();
        return error is null ? null : "can't parse entities: " + error;
    }

    private static string? ReadV2(string text, EntityBuilder builder)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var atLineStart = i == 0 || text[i - 1] == '\n';
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is > ' ' and <= '~')
            {
                builder.Append(text[i + 1]);
                i += 2;
            }
            else if (c == '`')
            {
                var error = ReadCode(text, ref i, builder);
                if (error is not null)
                {
                    return error;
                }
            }
            else if (c == '*' || c == '~' || (c == '_' && !Next(text, i, '_')) || (c == '|' && Next(text, i, '|')) || (c == '_' && Next(text, i, '_')))
            {
                var type = c switch
                {
                    '*' => "bold",
                    '~' => "strikethrough",
                    '|' => "spoiler",
                    _ when Next(text, i, '_') => "underline",
                    _ => "italic",
                };
                Toggle(builder, type, i);
                i += type is "spoiler" or "underline" ? 2 : 1;
            }
            else if (c == '[')
            {
                builder.Open("text_link", i);
                i++;
            }
            else if (c == ']' && builder.TopType == "text_link")
            {
                var close = Next(text, i, '(') ? text.IndexOf(')', i) : -1;
                if (close < 0)
                {
                    return $"Can't find end of a URL at byte offset {builder.ByteOffset(i)}";
                }

                builder.SetOnInnermost("url", text[(i + 2)..close].Replace("\\)", ")", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal));
                builder.Close();
                i = close + 1;
            }
            else if (c == '>' && atLineStart)
            {
                var end = text.IndexOf('\n', i);
                builder.Open("blockquote", i);
                var inner = ReadV2Line(text[(i + 1)..(end < 0 ? text.Length : end)], builder, i + 1);
                if (inner is not null)
                {
                    return inner;
                }

                builder.Close();
                i = end < 0 ? text.Length : end;
            }
            else if (Reserved.Contains(c, StringComparison.Ordinal))
            {
                return $"Character '{c}' is reserved and must be escaped with the preceding '\\'";
            }
            else
            {
                builder.Append(c);
                i++;
            }
        }

        return builder.OpenCount > 0
            ? $"Can't find end of {Names.GetValueOrDefault(builder.TopType!, builder.TopType!)} entity at byte offset {builder.ByteOffset(builder.TopSourceIndex)}"
            : null;
    }

    // The text of a quoted line is plain here: quotes hold markup in Telegram too, but the Sandbox keeps them simple.
    private static string? ReadV2Line(string line, EntityBuilder builder, int sourceIndex)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                i++;
            }
            else if (Reserved.Contains(line[i], StringComparison.Ordinal))
            {
                return $"Character '{line[i]}' is reserved and must be escaped with the preceding '\\'";
            }

            builder.Append(line[i]);
        }

        _ = sourceIndex;
        return null;
    }

    private static string? ReadLegacy(string text, EntityBuilder builder)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '_' or '*' or '`' or '[')
            {
                builder.Append(text[i + 1]);
                i += 2;
            }
            else if (c == '`')
            {
                var error = ReadCode(text, ref i, builder);
                if (error is not null)
                {
                    return error;
                }
            }
            else if (c is '*' or '_')
            {
                var end = text.IndexOf(c, i + 1);
                if (end < 0)
                {
                    return $"Can't find end of the entity starting at byte offset {builder.ByteOffset(i)}";
                }

                var start = builder.Length;
                builder.Append(text[(i + 1)..end]);
                builder.Add(c == '*' ? "bold" : "italic", start, end - i - 1);
                i = end + 1;
            }
            else if (c == '[' && text.IndexOf("](", i, StringComparison.Ordinal) is var middle and > 0 && text.IndexOf(')', middle) is var close and > 0)
            {
                var start = builder.Length;
                builder.Append(text[(i + 1)..middle]);
                builder.Add("text_link", start, middle - i - 1, new JsonObject { ["url"] = text[(middle + 2)..close] });
                i = close + 1;
            }
            else
            {
                builder.Append(c);
                i++;
            }
        }

        return null;
    }

    /// <summary>`code` or ```pre``` (a first line right after the fence names the language).</summary>
    private static string? ReadCode(string text, ref int i, EntityBuilder builder)
    {
        var fence = text.AsSpan(i).StartsWith("```") ? "```" : "`";
        var end = text.IndexOf(fence, i + fence.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            return $"Can't find end of {(fence == "`" ? "Code" : "Pre")} entity at byte offset {builder.ByteOffset(i)}";
        }

        var content = text[(i + fence.Length)..end].Replace("\\`", "`", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        JsonObject? extra = null;
        if (fence == "```" && content.IndexOf('\n', StringComparison.Ordinal) is var newline and > 0 && !content[..newline].Contains(' ', StringComparison.Ordinal))
        {
            extra = new JsonObject { ["language"] = content[..newline] };
            content = content[(newline + 1)..];
        }

        var start = builder.Length;
        builder.Append(content);
        builder.Add(fence == "`" ? "code" : "pre", start, content.Length, extra);
        i = end + fence.Length;
        return null;
    }

    private static void Toggle(EntityBuilder builder, string type, int index)
    {
        if (builder.TopType == type)
        {
            builder.Close();
        }
        else
        {
            builder.Open(type, index);
        }
    }

    private static bool Next(string text, int index, char expected) => index + 1 < text.Length && text[index + 1] == expected;
}
