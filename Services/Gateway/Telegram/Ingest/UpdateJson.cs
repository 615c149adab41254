using System.Text.Json;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>Reads one update from its JSON: an object with a non-negative integer update_id and well-typed known fields.</summary>
internal static class UpdateJson
{
    /// <summary>The update, or null with the reason it is not one (safe to show to the sender: it holds no input).</summary>
    public static Update? TryParse(ReadOnlySpan<byte> utf8, out string? error)
    {
        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(utf8, TelegramJson.Options);
        }
        catch (JsonException exception)
        {
            error = Describe(exception);
            return null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            error = "The body is not a Telegram update.";
            return null;
        }

        if (update is null)
        {
            error = "The body is JSON null, not an update object.";
            return null;
        }

        if (update.UpdateId < 0)
        {
            error = "update_id must be a non-negative integer.";
            return null;
        }

        error = null;
        return update;
    }

    /// <summary>The same for JSON held in a string (the bus message's RawJson), with every NUL character replaced (see <see cref="WithoutNul"/>).</summary>
    public static Update? TryParse(string json, out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        var bytes = System.Text.Encoding.UTF8.GetBytes(WithoutNul(json));
        return TryParse(bytes, out error);
    }

    /// <summary>
    /// <paramref name="json"/> with each escaped NUL (<c>\u0000</c>) in its strings turned into U+FFFD, the replacement
    /// character. PostgreSQL refuses U+0000 in any text, so a message carrying one failed every service that stored it
    /// (the member's name, Moderation's audit excerpt, a held update) and its moderation was never done. One character
    /// for one keeps Telegram's entity offsets right. An escaped backslash before <c>u0000</c> is text, and stays.
    /// </summary>
    public static string WithoutNul(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        const string Nul = "\\u0000";
        if (!json.Contains(Nul, StringComparison.Ordinal))
        {
            return json;
        }

        var cleaned = new System.Text.StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != '\\' || i + 1 == json.Length)
            {
                cleaned.Append(json[i]);
            }
            else if (string.CompareOrdinal(json, i, Nul, 0, Nul.Length) == 0)
            {
                cleaned.Append("\\ufffd");
                i += Nul.Length - 1;
            }
            else
            {
                // Any other escape, \\ included, is copied whole, so what follows it is never mistaken for an escape.
                cleaned.Append(json, i, 2);
                i++;
            }
        }

        return cleaned.ToString();
    }

    // The serializer's message names the JSON path and position but never echoes the input itself.
    private static string Describe(JsonException exception) =>
        exception.Path is { Length: > 0 } path
            ? $"The body is not a valid Telegram update (problem at {(path.Length > 80 ? path[..80] + "..." : path)}, line {exception.LineNumber}, byte {exception.BytePositionInLine})."
            : $"The body is not valid JSON or lacks update_id (line {exception.LineNumber}, byte {exception.BytePositionInLine}).";
}
