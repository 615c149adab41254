using System.Text.RegularExpressions;

namespace Atlas.LlmRouter.Knowledge;

/// <summary>A rule of the PII filter that matched: its name (email, phone, card, token) and the field it matched in.</summary>
public sealed record PiiViolation(string Rule, string Field);

/// <summary>
/// Finds personal data and secrets in document text before anything is stored: e-mail addresses, phone numbers,
/// payment card numbers (13–19 digits passing the Luhn check) and tokens (bot tokens, API keys, JWTs, bearer
/// values). Either names the first rule that matched or masks every match with <c>[rule]</c>.
/// </summary>
public static partial class PiiFilter
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    public static PiiViolation? FindFirst(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (rule, find) in Rules)
        {
            if (find(text).Count > 0)
            {
                return new PiiViolation(rule, field);
            }
        }

        return null;
    }

    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = Token().Replace(text, "[token]");
        result = Email().Replace(result, "[email]");
        result = CardCandidate().Replace(result, m => IsCard(m.Value) ? "[card]" : m.Value);
        return PhoneCandidate().Replace(result, m => IsPhone(m.Value) ? "[phone]" : m.Value);
    }

    private static readonly (string Rule, Func<string, IReadOnlyList<Match>> Find)[] Rules =
    [
        ("token", t => Token().Matches(t)),
        ("email", t => Email().Matches(t)),
        ("card", t => CardCandidate().Matches(t).Where(m => IsCard(m.Value)).ToList()),
        ("phone", t => PhoneCandidate().Matches(t).Where(m => IsPhone(m.Value)).ToList()),
    ];

    private static bool IsCard(string candidate)
    {
        var digits = candidate.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    // A phone number: 10–15 digits, written either with a leading + or with separators between groups (so plain
    // long numbers such as ids are left alone).
    private static bool IsPhone(string candidate)
    {
        var digits = candidate.Count(char.IsAsciiDigit);
        return digits is >= 10 and <= 15 && (candidate.StartsWith('+') || candidate.Any(c => c is ' ' or '-' or '(' or '.'));
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", Options)]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])", Options)]
    private static partial Regex CardCandidate();

    [GeneratedRegex(@"(?<![\w+])\+?\d{1,3}[ .-]?\(?\d{2,4}\)?([ .-]?\d{2,4}){2,3}(?!\w)", Options)]
    private static partial Regex PhoneCandidate();

    [GeneratedRegex(@"\b\d{6,}:[A-Za-z0-9_-]{30,}|\bsk-[A-Za-z0-9_-]{20,}|\bgh[pousr]_[A-Za-z0-9]{30,}|\bAKIA[0-9A-Z]{16}\b|\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}|\b[Bb]earer\s+[A-Za-z0-9._~+/-]{20,}", Options)]
    private static partial Regex Token();
}
