using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Messages;

/// <summary>Turns a message text and its parse_mode into the plain text and entities Telegram stores.</summary>
internal static class MessageFormatting
{
    public const int MaxTextLength = 4096;

    /// <summary>
    /// The plain text and entities of <paramref name="text"/> under <paramref name="parseMode"/>; without a parse mode the
    /// given <paramref name="entities"/> stand. Returns the "Bad Request: ..." detail when the text cannot be parsed.
    /// </summary>
    public static string? TryFormat(string text, string? parseMode, JsonArray? entities, out string plain, out JsonArray? parsedEntities)
    {
        plain = text;
        parsedEntities = entities?.Count > 0 ? (JsonArray)entities.DeepClone() : null;
        if (string.IsNullOrEmpty(parseMode))
        {
            return null;
        }

        return parseMode.ToUpperInvariant() switch
        {
            "HTML" => HtmlEntityParser.Parse(text, out plain, out parsedEntities),
            "MARKDOWN" => MarkdownEntityParser.Parse(text, legacy: true, out plain, out parsedEntities),
            "MARKDOWNV2" => MarkdownEntityParser.Parse(text, legacy: false, out plain, out parsedEntities),
            _ => "unsupported parse_mode",
        };
    }

    /// <summary>Telegram's "message text is empty" holds for text of nothing but white space too.</summary>
    public static bool IsEmpty(string? text) => string.IsNullOrWhiteSpace(text);
}
