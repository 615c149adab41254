using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Atlas.Moderation.Rules;

/// <summary>
/// Banned words (whole words, any case) and banned patterns (regular expressions). Every match runs with a timeout
/// so a pathological pattern cannot stall the consumer; a timed-out pattern counts as no match and is logged by the
/// caller. Compiled patterns are kept per pattern text.
/// </summary>
public sealed class WordFilter
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);
    private const int MaxPatternLength = 200;
    private readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    /// <summary>Why <paramref name="pattern"/> cannot be used, or null when it can.</summary>
    public static string? PatternProblem(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > MaxPatternLength)
        {
            return $"A pattern must be 1 to {MaxPatternLength} characters.";
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);
            return null;
        }
        catch (ArgumentException exception)
        {
            return $"Not a valid pattern: {exception.Message}";
        }
    }

    /// <summary>The first banned word or pattern <paramref name="text"/> contains, or null; <paramref name="timedOut"/> names a pattern that ran out of time.</summary>
    public string? FirstMatch(string? text, IReadOnlyList<string> words, IReadOnlyList<string> patterns, out string? timedOut)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(patterns);
        timedOut = null;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (var word in words)
        {
            if (Matches(WordPattern(word), text, ref timedOut))
            {
                return word;
            }
        }

        foreach (var pattern in patterns)
        {
            if (PatternProblem(pattern) is null && Matches(pattern, text, ref timedOut))
            {
                return pattern;
            }
        }

        return null;
    }

    private static string WordPattern(string word) => $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(word)}(?![\p{{L}}\p{{N}}])";

    private bool Matches(string pattern, string text, ref string? timedOut)
    {
        var regex = _patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout));
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            timedOut = pattern;
            return false;
        }
    }
}
