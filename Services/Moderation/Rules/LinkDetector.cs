using System.Text.RegularExpressions;

namespace Atlas.Moderation.Rules;

/// <summary>Finds links in a text (<c>https://...</c>, <c>www.example.com</c>, <c>t.me/x</c>, <c>example.org/path</c>) and their domains.</summary>
public static partial class LinkDetector
{
    /// <summary>The lower-case domains of the links in <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> Domains(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var domains = new List<string>();
        foreach (Match match in LinkPattern().Matches(text))
        {
            var host = match.Groups["host"].Value.TrimEnd('.').ToLowerInvariant();
            if (host.StartsWith("www.", StringComparison.Ordinal))
            {
                host = host[4..];
            }

            domains.Add(host);
        }

        return domains;
    }

    /// <summary>Whether <paramref name="domain"/> is one of <paramref name="allowed"/> or a subdomain of one.</summary>
    public static bool IsAllowed(string domain, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(allowed);
        return allowed.Any(a => domain.Equals(a, StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith("." + a, StringComparison.OrdinalIgnoreCase));
    }

    // A scheme or www. prefix makes anything a link; a bare name needs a known-looking TLD of letters and a word boundary.
    [GeneratedRegex(
        @"(?:(?:https?|ftp)://|\bwww\.)(?<host>[\p{L}\p{N}\-\.]+)|\b(?<host>(?:[\p{L}\p{N}\-]+\.)+(?:com|org|net|io|me|ru|info|xyz|biz|co|app|dev|ly|gg|tk|top|site|online|shop|link|click|to|cc|us|uk|de|su)\b)",
        RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex LinkPattern();
}
