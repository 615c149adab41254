using System.Text;
using System.Text.RegularExpressions;

namespace Atlas.LlmRouter.Knowledge;

/// <summary>
/// Cuts a document into retrieval chunks: Markdown headings start a new section (and label its chunks); long
/// sections are cut at paragraph ends near the chunk size. Markdown markup (emphasis, code fences, links) becomes
/// plain text so snippets read cleanly.
/// </summary>
public static partial class DocumentChunker
{
    public static IReadOnlyList<KnowledgeChunk> Chunk(string title, string body, bool markdown, int chunkChars)
    {
        ArgumentNullException.ThrowIfNull(body);
        var chunks = new List<KnowledgeChunk>();
        var heading = title;
        var current = new StringBuilder();

        void Flush()
        {
            var text = current.ToString().Trim();
            if (text.Length > 0)
            {
                chunks.Add(new KnowledgeChunk(chunks.Count, heading, text));
            }

            current.Clear();
        }

        foreach (var rawParagraph in Paragraphs().Split(body.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            var paragraph = rawParagraph.Trim();
            if (paragraph.Length == 0)
            {
                continue;
            }

            if (markdown && HeadingLine().Match(paragraph) is { Success: true } match)
            {
                Flush();
                var section = Plain(match.Groups["text"].Value);
                heading = section == title ? title : $"{title} — {section}";
                paragraph = paragraph[match.Length..].Trim();
                if (paragraph.Length == 0)
                {
                    continue;
                }
            }

            var text = markdown ? Plain(paragraph) : paragraph;
            if (current.Length > 0 && current.Length + text.Length > chunkChars)
            {
                Flush();
            }

            for (var start = 0; start < text.Length; start += chunkChars)
            {
                var piece = text.Substring(start, Math.Min(chunkChars, text.Length - start));
                current.Append(current.Length > 0 ? "\n\n" : "").Append(piece);
                if (start + chunkChars < text.Length)
                {
                    Flush();
                }
            }
        }

        Flush();
        if (chunks.Count == 0)
        {
            chunks.Add(new KnowledgeChunk(0, title, title));
        }

        return chunks;
    }

    /// <summary>The text of a top-level heading (<c># Title</c>) when it is the document's first line; else null.</summary>
    public static string? FirstTitle(string? markdown)
    {
        var first = markdown?.TrimStart().Split('\n', 2)[0].TrimEnd();
        return first is not null && TitleLine().Match(first) is { Success: true } match ? Plain(match.Groups["text"].Value) : null;
    }

    /// <summary>Markdown to plain text: links keep their text, emphasis and code markers go, list bullets stay as "-".</summary>
    public static string Plain(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var text = CodeFence().Replace(markdown, "");
        text = Image().Replace(text, "${alt}");
        text = Link().Replace(text, "${text}");
        text = Emphasis().Replace(text, "");
        text = Bullet().Replace(text, "- ");
        return text.Trim();
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex Paragraphs();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>[^\n]+)\n?", RegexOptions.ExplicitCapture)]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^#\s+(?<text>\S.*)$", RegexOptions.ExplicitCapture)]
    private static partial Regex TitleLine();

    [GeneratedRegex(@"^```[^\n]*$", RegexOptions.Multiline)]
    private static partial Regex CodeFence();

    [GeneratedRegex(@"!\[(?<alt>[^\]]*)\]\([^)]*\)", RegexOptions.ExplicitCapture)]
    private static partial Regex Image();

    [GeneratedRegex(@"\[(?<text>[^\]]+)\]\([^)]*\)", RegexOptions.ExplicitCapture)]
    private static partial Regex Link();

    [GeneratedRegex(@"(\*\*|__|\*|`|~~)")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"^\s*[*+]\s+", RegexOptions.Multiline)]
    private static partial Regex Bullet();
}
