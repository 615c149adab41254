using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Atlas.Sandbox.Llm;

/// <summary>
/// The deterministic sandbox model. Its answer is labelled, quotes the last user message, and lists the knowledge
/// passages it was given (markers <c>[doc:&lt;id&gt;]</c> anywhere in the prompt), so tests can check grounding.
/// Tokens are counted as whitespace-separated words. A test may script replies instead (<see cref="LlmScriptedReply"/>).
/// </summary>
public static partial class SandboxModel
{
    public const string Label = "[sandbox model]";

    /// <summary>The reply a test scripted for this prompt on <paramref name="surface"/>, else the labelled echo.</summary>
    public static string Answer(JsonArray messages, LlmSurfaceState state, string surface)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.ScriptedReply(surface, LastUserText(messages)) ?? Answer(messages);
    }

    public static string Answer(JsonArray messages)
    {
        var question = LastUserText(messages);
        var passages = messages.OfType<JsonObject>()
            .SelectMany(m => PassageMarker().Matches(ContentOf(m)).Select(match => match.Groups["id"].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var answer = new StringBuilder(Label).Append(" You asked: \"").Append(question.Trim()).Append("\".");
        answer.Append(passages.Count == 0 ? " Passages: none." : $" Passages: {string.Join(", ", passages)}.");
        answer.Append(" Turns: ").Append(messages.Count).Append('.');
        return answer.ToString();
    }

    /// <summary>The text of the last user message, or empty.</summary>
    public static string LastUserText(JsonArray messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var lastUser = messages.OfType<JsonObject>().LastOrDefault(m => TextOf(m["role"]) == "user");
        return lastUser is null ? "" : ContentOf(lastUser);
    }

    /// <summary>A message's text: a string, or the text parts of an OpenAI content array.</summary>
    public static string ContentOf(JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message["content"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => TextOf(p["text"]) ?? "")),
            _ => "",
        };
    }

    /// <summary>A JSON string's value; null for anything else (a number where a string belongs is not read as text).</summary>
    public static string? TextOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static int CountTokens(string text) =>
        string.IsNullOrWhiteSpace(text) ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    public static int CountPromptTokens(JsonArray messages) =>
        messages.OfType<JsonObject>().Sum(m => CountTokens(ContentOf(m)) + 1);

    /// <summary>The answer cut into streaming pieces: each word with the space before it.</summary>
    public static IEnumerable<string> Pieces(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var words = answer.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            yield return i == 0 ? words[i] : " " + words[i];
        }
    }

    [GeneratedRegex(@"\[doc:(?<id>[^\]\s]+)\]", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex PassageMarker();
}
