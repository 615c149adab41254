using System.Text.RegularExpressions;
using Atlas.LlmRouter.Knowledge;
using Atlas.LlmRouter.Locales;

namespace Atlas.LlmRouter.Routing;

/// <summary>
/// The answer without a model: greetings and requests for help get a fixed reply, anything else the best
/// knowledge-base passage (FAQ style) with its source. Null when there is nothing useful to say.
/// </summary>
public static partial class RuleResponder
{
    public static string? TryAnswer(string question, string? languageCode, IReadOnlyList<KnowledgeHit> passages)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(passages);
        var text = question.Trim();
        var lang = languageCode ?? KnowledgeLanguages.Detect(text);
        if (Greeting().IsMatch(text))
        {
            return RouterTexts.Greeting(lang);
        }

        if (Help().IsMatch(text))
        {
            return RouterTexts.Help(lang);
        }

        if (passages.Count == 0)
        {
            return null;
        }

        var best = passages[0];
        var snippet = best.Snippet.Replace("**", "", StringComparison.Ordinal);
        return $"{RouterTexts.FromKnowledgeBase(lang)}: {best.Title} — {snippet}\n\n{RouterTexts.Sources(lang)}: {best.Title} [doc:{best.DocumentId}]";
    }

    [GeneratedRegex(@"^(hi|hello|hey|good (morning|afternoon|evening)|привет|здравствуй(те)?|добрый (день|вечер)|доброе утро)[\s!.,)]*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Greeting();

    [GeneratedRegex(@"^(/?help|what can you do\??|помощь|помоги( мне)?|что ты умеешь\??)[\s!.?]*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Help();
}
