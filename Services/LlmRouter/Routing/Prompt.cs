using System.Text;
using Atlas.LlmRouter.Knowledge;
using Atlas.LlmRouter.Locales;
using Microsoft.Extensions.AI;

namespace Atlas.LlmRouter.Routing;

/// <summary>
/// What goes to a model: the system prompt with the knowledge passages (each marked <c>[doc:&lt;id&gt;]</c>), the
/// conversation so far and the question. <see cref="ToMessages"/> fits it into a provider's context window by dropping
/// the oldest turns first, then the passages, and only last cutting the question itself.
/// </summary>
public sealed record Prompt(string? LanguageCode, IReadOnlyList<KnowledgeHit> Passages, IReadOnlyList<ChatTurn> History, string Question, int MaxPassageChars)
{
    public IReadOnlyList<ChatMessage> ToMessages(int windowChars)
    {
        var passages = Passages.ToList();
        var history = History.ToList();
        while (true)
        {
            var system = SystemText(passages);
            var size = system.Length + Question.Length + history.Sum(t => t.Content.Length);
            if (size <= windowChars)
            {
                return Build(system, history, Question);
            }

            if (history.Count > 0)
            {
                history.RemoveAt(0);
            }
            else if (passages.Count > 0)
            {
                passages.RemoveAt(passages.Count - 1);
            }
            else
            {
                var room = Math.Max(windowChars - system.Length, 1);
                return Build(system, [], Question.Length > room ? Question[^room..] : Question);
            }
        }
    }

    /// <summary>
    /// The prompt less its passages (language, context, question): what the response cache files an answer under. It
    /// is known before the knowledge search ends, so the cache lookup runs beside the search.
    /// </summary>
    public static string CacheKeyText(string? languageCode, IReadOnlyList<ChatTurn> history, string question)
    {
        ArgumentNullException.ThrowIfNull(history);
        var text = new StringBuilder(languageCode ?? "");
        foreach (var turn in history)
        {
            text.Append('\u001f').Append(turn.Role).Append(':').Append(turn.Content);
        }

        return text.Append('\u001f').Append(question).ToString();
    }

    /// <summary>The system text with its passages: a cached answer serves only a prompt whose passages are the same.</summary>
    public string PassagesText() => SystemText(Passages);

    private string SystemText(IReadOnlyList<KnowledgeHit> passages)
    {
        var text = new StringBuilder(RouterTexts.SystemPrompt(LanguageCode));
        if (passages.Count > 0)
        {
            text.Append("\n\n").Append(RouterTexts.PassagesIntro(LanguageCode));
            foreach (var hit in passages)
            {
                var passage = hit.Passage.Length > MaxPassageChars ? hit.Passage[..MaxPassageChars] : hit.Passage;
                text.Append("\n[doc:").Append(hit.DocumentId).Append("] ").Append(hit.Title).Append(": ").Append(passage);
            }
        }

        return text.ToString();
    }

    private static List<ChatMessage> Build(string system, List<ChatTurn> history, string question)
    {
        var messages = new List<ChatMessage>(history.Count + 2) { new(ChatRole.System, system) };
        messages.AddRange(history.Select(t => new ChatMessage(t.Role == "assistant" ? ChatRole.Assistant : ChatRole.User, t.Content)));
        messages.Add(new ChatMessage(ChatRole.User, question));
        return messages;
    }
}
