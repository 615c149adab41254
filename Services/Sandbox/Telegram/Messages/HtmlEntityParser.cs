using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Messages;

/// <summary>parse_mode HTML. For now the text is kept as written; tags become entities in a later step.</summary>
internal static class HtmlEntityParser
{
    public static string? Parse(string text, out string plain, out JsonArray? entities)
    {
        plain = text;
        entities = null;
        return null;
    }
}
