using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Messages;

/// <summary>parse_mode Markdown and MarkdownV2. For now the text is kept as written; markup becomes entities in a later step.</summary>
internal static class MarkdownEntityParser
{
    public static string? Parse(string text, bool legacy, out string plain, out JsonArray? entities)
    {
        _ = legacy;
        plain = text;
        entities = null;
        return null;
    }
}
