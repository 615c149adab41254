using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Atlas.Moderation.Rules;

/// <summary>
/// Banned words (whole words, any case) and banned patterns (regular expressions). Words are found by an ordinal,
/// case-insensitive search with a check that no letter or digit touches them: no regex, so no timeout that a busy
/// machine could run out. Every pattern match runs with a timeout so a pathological pattern cannot stall the consumer;
/// a timed-out pattern counts as no match and is logged by the caller. Patterns are compiled (or found unusable) once
/// per pattern text.
/// </summary>
public sealed class WordFilter
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);
    private const int MaxPatternLength = 200;

    // Invisible in a chat: Unicode format characters (Cf), NUL, and U+FFFD, which the gateway puts for a NUL.
    private static readonly System.Buffers.SearchValues<char> Hidden = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format || c is '\0' or '\uFFFD')]);
    private readonly ConcurrentDictionary<string, Regex?> _patterns = new(StringComparer.Ordinal);

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

        text = Visible(text);

        foreach (var word in words)
        {
            if (ContainsWord(text, word))
            {
                return word;
            }
        }

        foreach (var pattern in patterns)
        {
            if (Matches(pattern, text, ref timedOut))
            {
                return pattern;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="word"/> occurs in <paramref name="text"/>, in any case, with no letter or digit right before or after it.</summary>
    public static bool ContainsWord(string text, string word)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrEmpty(word))
        {
            return false;
        }

        for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0;
             at = at + 1 < text.Length ? text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase) : -1)
        {
            var end = at + word.Length;
            if ((at == 0 || !IsWordChar(text[at - 1])) && (end >= text.Length || !IsWordChar(text[end])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWordChar(char c) => char.IsLetter(c) || char.IsNumber(c);

    /// <summary>
    /// The text as a reader sees it: invisible format characters (zero-width space and joiners, the word joiner, soft
    /// hyphens, byte-order marks) and the replacement character the gateway puts for a NUL are left out, so "bad\u200Bword"
    /// is the banned "badword" it looks like. Line breaks and other spacing stay: they separate words.
    /// </summary>
    public static string Visible(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny(Hidden))
        {
            return text;
        }

        var visible = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!Hidden.Contains(c))
            {
                visible.Append(c);
            }
        }

        return visible.ToString();
    }

    private bool Matches(string pattern, string text, ref string? timedOut)
    {
        // An unusable pattern (stored before it was checked, or by hand) is remembered as null and never matches.
        var regex = _patterns.GetOrAdd(
            pattern, p => PatternProblem(p) is null ? new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout) : null);
        if (regex is null)
        {
            return false;
        }

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
