namespace Atlas.LlmRouter.Knowledge;

/// <summary>Language codes to PostgreSQL text-search configurations: en → english, ru → russian, anything else guessed from the script.</summary>
public static class KnowledgeLanguages
{
    public const string English = "en";
    public const string Russian = "ru";

    /// <summary>en or ru: the given code when it is one of them, else Russian when most letters are Cyrillic.</summary>
    public static string Resolve(string? code, string text)
    {
        var given = code?.Trim().ToLowerInvariant();
        if (given is not null && given.StartsWith(Russian, StringComparison.Ordinal))
        {
            return Russian;
        }

        if (given is not null && given.StartsWith(English, StringComparison.Ordinal))
        {
            return English;
        }

        return Detect(text);
    }

    public static string Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int cyrillic = 0, latin = 0;
        foreach (var c in text)
        {
            if (c is >= '\u0400' and <= '\u04FF')
            {
                cyrillic++;
            }
            else if (char.IsAsciiLetter(c))
            {
                latin++;
            }
        }

        return cyrillic > latin ? Russian : English;
    }

    public static string SearchConfiguration(string language) => language == Russian ? "russian" : "english";
}
