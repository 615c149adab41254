using System.Text;
using Atlas.Contracts.Moderation;
using Atlas.Moderation.Rules;
using Atlas.Moderation.Settings;

namespace Atlas.Moderation.Verdicts;

/// <summary>
/// What makes a message "suspicious but not certain": it broke no rule, yet it shows a sign spam often shows.
/// <list type="bullet">
/// <item><c>link</c>: a link to a domain that is not allowed, which the link rules let through (links are open and
/// the author is past the new-member window);</item>
/// <item><c>new_member</c>: the author is still inside the new-member window (a known join less than
/// <see cref="ChatSettings.NewMemberMinutes"/> ago, or among their first <see cref="ChatSettings.NewMemberMessages"/>
/// messages), the classic moment a spam account posts;</item>
/// <item><c>near_match</c>: a banned word appears once the text is de-obfuscated (case, look-alike digits and
/// symbols such as <c>c4$ino</c>, separators such as <c>c.a.s.i.n.o</c>) though the word filter did not match it.</item>
/// </list>
/// Only such messages, and only in chats with <see cref="ChatSettings.LlmVerdicts"/> on, are shown to the model.
/// </summary>
public static class SuspicionSignals
{
    public const string Link = "link";
    public const string NewMember = "new_member";
    public const string NearMatch = "near_match";

    public static IReadOnlyList<string> Of(MessagePosted message, ChatSettings settings, MemberFacts facts)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(facts);
        if (string.IsNullOrWhiteSpace(message.Text))
        {
            return [];
        }

        var signals = new List<string>();
        if (LinkDetector.Domains(message.Text).Any(d => !LinkDetector.IsAllowed(d, settings.AllowedDomains)))
        {
            signals.Add(Link);
        }

        if (MessageRules.IsNewMember(message, settings, facts))
        {
            signals.Add(NewMember);
        }

        if (NearMatchOf(message.Text, settings.BannedWords) is not null)
        {
            signals.Add(NearMatch);
        }

        return signals;
    }

    /// <summary>The first banned word found in the de-obfuscated <paramref name="text"/>, or null.</summary>
    public static string? NearMatchOf(string text, IReadOnlyList<string> bannedWords)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(bannedWords);
        if (bannedWords.Count == 0)
        {
            return null;
        }

        var plain = Deobfuscate(text);
        return bannedWords.FirstOrDefault(w => Deobfuscate(w) is { Length: >= 3 } word && plain.Contains(word, StringComparison.Ordinal));
    }

    // Lower case, look-alikes to letters, and only letters kept: "C.4-$ 1 N 0" becomes "casino".
    private static string Deobfuscate(string text)
    {
        var plain = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            var letter = char.ToLowerInvariant(c) switch
            {
                '0' => 'o', '1' or '!' or '|' => 'i', '3' => 'e', '4' or '@' => 'a', '5' or '$' => 's', '7' => 't', '8' => 'b',
                var other => other,
            };
            if (char.IsLetter(letter))
            {
                plain.Append(letter);
            }
        }

        return plain.ToString();
    }
}
