using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Verdicts;

namespace Atlas.LlmRouter.Tests.Verdicts;

/// <summary>The classification prompt and the strict reading of a model's answer.</summary>
public sealed class SpamPromptUnits
{
    [Theory]
    [InlineData("spam", "spam")]
    [InlineData("SPAM.", "spam")]
    [InlineData("\"ham\"", "ham")]
    [InlineData("`ham`\n", "ham")]
    [InlineData("not spam", "ham")]
    [InlineData("verdict: spam", "spam")]
    [InlineData("", "unknown")]
    [InlineData("   ", "unknown")]
    [InlineData(null, "unknown")]
    [InlineData("spam, probably", "unknown")]
    [InlineData("It is ham.", "unknown")]
    [InlineData("[sandbox model] You asked: \"spam\"", "unknown")]
    [InlineData("Извините, сервис недоступен", "unknown")]
    public void Only_a_clear_one_word_answer_is_a_verdict(string? answer, string verdict) =>
        SpamPrompt.Parse(answer).Should().Be(verdict);

    [Fact]
    public void The_prompt_demands_one_word_and_cuts_a_long_message()
    {
        var text = new string('x', SpamPrompt.MaxTextChars + 500);

        var messages = SpamPrompt.Messages(new SpamVerdictRequested(1, 2, text, [], TimeSpan.FromSeconds(3)));

        messages.Should().HaveCount(2);
        messages[0].Text.Should().Contain("exactly one lowercase word: spam or ham");
        messages[1].Text.Should().Contain(new string('x', SpamPrompt.MaxTextChars)).And.NotContain(new string('x', SpamPrompt.MaxTextChars + 1));
        messages[1].Text.Should().NotContain("rules noted", "there were no signals");
    }
}
