using System.Reflection;
using System.Text.RegularExpressions;
using Atlas.Gateway.Locales;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling.Units;

/// <summary>Every bot text exists in English and Russian with the same placeholders, and languages are chosen by language_code.</summary>
public sealed partial class BotTextsCatalog
{

    public static TheoryData<string> Keys()
    {
        var keys = new TheoryData<string>();
        foreach (var field in typeof(TextKeys).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            keys.Add((string)field.GetValue(null)!);
        }

        return keys;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Each_text_is_translated_with_the_same_placeholders(string key)
    {
        var english = BotTexts.Get(key, English);
        var russian = BotTexts.Get(key, Russian);

        english.Should().NotBeNullOrWhiteSpace();
        russian.Should().NotBeNullOrWhiteSpace().And.NotBe(english, "the Russian file must translate {0}", key);
        Placeholders(russian).Should().Equal(Placeholders(english));
    }

    [Theory]
    [InlineData("ru", "ru")]
    [InlineData("ru-RU", "ru")]
    [InlineData("RU", "ru")]
    [InlineData("en", "en")]
    [InlineData("de", "en")]
    [InlineData("", "en")]
    [InlineData(null, "en")]
    public void The_language_code_picks_Russian_or_the_English_fallback(string? languageCode, string expected)
    {
        BotTexts.CultureFor(languageCode).TwoLetterISOLanguageName.Should().Be(expected);
    }

    private static List<string> Placeholders(string text) =>
        [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();
}
