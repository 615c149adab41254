using System.Text.RegularExpressions;

namespace Atlas.Moderation.Audit;

/// <summary>
/// Masks personal data in message excerpts before they reach the audit log: e-mail addresses, phone and card-like
/// digit runs, @usernames and the path and query of links (the domain stays: it is often the reason). Then truncates.
/// The patterns are fixed and run non-backtracking: linear in the text's length, so no timeout (a wall-clock timeout
/// fired on a busy machine and withheld an excerpt that was perfectly maskable).
/// </summary>
public static partial class PiiMasker
{
    public static string? Mask(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text) || maxLength <= 0)
        {
            return null;
        }

        var masked = Email().Replace(text, "[email]");
        masked = LinkPath().Replace(masked, "$1/[…]");
        masked = Digits().Replace(masked, "[number]");
        masked = Mention().Replace(masked, "@[user]");
        return masked.Length <= maxLength ? masked : masked[..maxLength] + "…";
    }

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Email();

    [GeneratedRegex(@"((?:https?://)?(?:[\w-]+\.)+[a-z]{2,})/[^\s]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex LinkPath();

    [GeneratedRegex(@"\+?\d[\d\s().-]{6,}\d", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Digits();

    [GeneratedRegex(@"@\w{3,}", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Mention();
}
