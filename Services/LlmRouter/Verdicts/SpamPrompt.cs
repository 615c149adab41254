using System.Globalization;
using System.Text;
using Atlas.Contracts.Llm;
using Microsoft.Extensions.AI;

namespace Atlas.LlmRouter.Verdicts;

/// <summary>
/// The strict classification prompt for <see cref="SpamVerdictRequested"/> and the reading of a model's answer. The
/// model is told to answer with one word; <see cref="Parse"/> accepts that word alone (any case, quotes or a final
/// full stop around it, or a leading "verdict:"), and everything else, hedges and explanations included, is
/// <c>unknown</c>: a guess never becomes a verdict.
/// </summary>
public static class SpamPrompt
{
    /// <summary>Longest message text shown to the model; the rest is cut (spam shows itself early).</summary>
    public const int MaxTextChars = 2000;

    private const string System =
        "You classify messages posted in a Telegram group for its moderators. Spam is unsolicited advertising, scams, "
        + "phishing, crypto or investment schemes, adult content promotion, or mass invitations to other chats or sites. "
        + "Ordinary conversation, questions and on-topic links are not spam. Answer with exactly one lowercase word: "
        + "spam or ham. No other words, no punctuation, no explanation.";

    public static IReadOnlyList<ChatMessage> Messages(SpamVerdictRequested request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Text.Length > MaxTextChars ? request.Text[..MaxTextChars] : request.Text;
        var user = new StringBuilder("Message to classify (between the markers):\n<<<\n").Append(text).Append("\n>>>");
        if (request.Signals.Count > 0)
        {
            user.Append("\nThe moderation rules noted: ").Append(string.Join(", ", request.Signals)).Append('.');
        }

        return [new ChatMessage(ChatRole.System, System), new ChatMessage(ChatRole.User, user.Append("\nAnswer spam or ham.").ToString())];
    }

    /// <summary><c>spam</c>, <c>ham</c>, or <c>unknown</c> for anything else.</summary>
    public static string Parse(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return SpamVerdictReplied.Unknown;
        }

        var word = answer.Trim().Trim('"', '\'', '`', '*', '.', '!', ' ').ToLower(CultureInfo.InvariantCulture);
        if (word.StartsWith("verdict:", StringComparison.Ordinal))
        {
            word = word["verdict:".Length..].Trim().Trim('"', '\'', '`', '*', '.', '!', ' ');
        }

        return word switch
        {
            "spam" => SpamVerdictReplied.Spam,
            "ham" or "not spam" => SpamVerdictReplied.Ham,
            _ => SpamVerdictReplied.Unknown,
        };
    }
}
