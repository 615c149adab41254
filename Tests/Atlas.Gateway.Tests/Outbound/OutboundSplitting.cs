using Atlas.Gateway.Outbound;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>Texts over Telegram's 4096 characters are sent as several messages in order instead of failing.</summary>
public sealed class OutboundSplitting(OutboundSandbox fixture) : IClassFixture<OutboundSandbox>
{
    [Fact]
    public async Task Sends_a_text_longer_than_4096_characters_as_several_messages_in_order()
    {
        await using var scenario = await OutboundScenario.StartAsync(fixture, OutboundScenario.Fast(), SandboxLimits.Unlimited);
        await scenario.AddChatsAsync(901);
        var paragraphs = Enumerable.Range(0, 50).Select(i => $"Paragraph {i}: " + string.Join(' ', Enumerable.Repeat($"word{i}", 40))).ToList();
        var text = string.Join('\n', paragraphs);
        text.Length.Should().BeGreaterThan(3 * 4096);

        (await scenario.Outbox.EnqueueAsync(new OutboundMessage("long:0", 901, text, ReplyToMessageId: null), CancellationToken.None)).Should().BeTrue();

        var parts = MessageSplitter.Split(text, 4096).Count;
        await scenario.WaitForDeliveredAsync(parts);
        (await scenario.SendsAsync()).Should().OnlyContain(a => a.Ok);
        var sent = await scenario.TextsInAsync(901);
        sent.Should().HaveCount(parts).And.OnlyContain(t => t!.Length <= 4096);
        string.Join('\n', sent).Should().Be(text, "every part ends at a line break, which joins them again");
    }

    [Fact]
    public void Html_is_cut_between_lines_and_each_part_closes_and_reopens_the_tags_open_at_its_cut()
    {
        var code = string.Join('\n', Enumerable.Range(0, 30).Select(i => $"var x{i} = a &lt; b &amp;&amp; c; // line {i}"));
        var html = $"<b>Title</b>\n<pre><code class=\"language-csharp\">{code}</code></pre>\n<i>after</i>";

        var parts = MessageSplitter.Split(html, 300, html: true);

        parts.Should().HaveCountGreaterThan(2);
        parts.Skip(1).SkipLast(1).Should().OnlyContain(p => p.StartsWith("<pre><code class=\"language-csharp\">", StringComparison.Ordinal)
            && p.EndsWith("</code></pre>", StringComparison.Ordinal), "a code block over several messages is code in each");
        parts.Should().OnlyContain(p => Count(p, "<pre>") == Count(p, "</pre>") && Count(p, "<code") == Count(p, "</code>"));
        parts.Select(TelegramHtml.ToPlainText).Should().OnlyContain(p => p.Length <= 300);
        string.Join('\n', parts.Select(TelegramHtml.ToPlainText)).Should().Be(TelegramHtml.ToPlainText(html), "only the line breaks at the cuts are gone");
    }

    [Fact]
    public void Html_is_never_cut_inside_a_tag_or_an_entity()
    {
        var link = "<a href=\"https://example.org/a b\">see it</a>";
        var html = string.Concat(Enumerable.Repeat($"x&amp;y{link}", 12));

        var parts = MessageSplitter.Split(html, 100, html: true);

        parts.Should().HaveCountGreaterThan(1);
        parts.Should().OnlyContain(p => !p.Contains("<a href=\"https://example.org/a\n", StringComparison.Ordinal) && Count(p, "<a ") == Count(p, "</a>"));
        parts.Should().OnlyContain(p => System.Text.RegularExpressions.Regex.IsMatch(p, "^([^&<]|&amp;|<a href=\"https://example.org/a b\">|</a>)*$"), "no entity or tag is cut");
        string.Concat(parts.Select(TelegramHtml.ToPlainText)).Replace(" ", "", StringComparison.Ordinal)
            .Should().Be(TelegramHtml.ToPlainText(html).Replace(" ", "", StringComparison.Ordinal), "only the spaces at the cuts are gone");
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    [Fact]
    public void Splits_at_the_last_line_break_in_reach()
    {
        var text = new string('a', 60) + "\n" + new string('b', 30) + " " + new string('c', 30);

        MessageSplitter.Split(text, 100).Should().Equal(new string('a', 60), new string('b', 30) + " " + new string('c', 30));
    }

    [Fact]
    public void Splits_at_the_last_space_when_there_is_no_line_break()
    {
        var text = string.Join(' ', Enumerable.Repeat("abcdefghi", 25));

        var parts = MessageSplitter.Split(text, 100);

        parts.Should().OnlyContain(p => p.Length <= 100 && !p.StartsWith(' ') && !p.EndsWith(' '));
        string.Join(' ', parts).Should().Be(text);
    }

    [Fact]
    public void Cuts_a_text_without_spaces_at_the_limit_but_never_inside_a_surrogate_pair()
    {
        var text = new string('x', 99) + "\U0001F600" + new string('y', 50);

        var parts = MessageSplitter.Split(text, 100);

        parts.Should().Equal(new string('x', 99), "\U0001F600" + new string('y', 50));
    }

    [Fact]
    public void Leaves_a_text_within_the_limit_whole()
    {
        MessageSplitter.Split("short", 4096).Should().Equal("short");
    }
}
