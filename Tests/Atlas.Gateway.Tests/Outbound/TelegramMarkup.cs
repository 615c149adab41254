using Atlas.Gateway.Outbound;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>Markdown from language models becomes Telegram HTML that shows what the model meant, and never markup Telegram refuses.</summary>
public sealed class TelegramMarkup
{
    [Theory]
    [InlineData("plain & simple <tag>", "plain &amp; simple &lt;tag&gt;")]
    [InlineData("**bold** and __also bold__", "<b>bold</b> and <b>also bold</b>")]
    [InlineData("*italic* and _italic_ and ~~gone~~", "<i>italic</i> and <i>italic</i> and <s>gone</s>")]
    [InlineData("call my_function_name or __init__ here", "call my_function_name or <b>init</b> here")]
    [InlineData("2 * 3 * 4 and a lone ** and *open", "2 * 3 * 4 and a lone ** and *open")]
    [InlineData("use `a<b && c` now", "use <code>a&lt;b &amp;&amp; c</code> now")]
    [InlineData("see [the docs](https://example.org/a?b=1&c=\"2\") or [x](javascript:alert(1))", "see <a href=\"https://example.org/a?b=1&amp;c=&quot;2&quot;\">the docs</a> or [x](javascript:alert(1))")]
    [InlineData("## Steps\n- first **one**\n  * nested\n1. numbered", "<b>Steps</b>\n• first <b>one</b>\n  • nested\n1. numbered")]
    [InlineData("```python\nif a < b:\n    print(\"**x**\")\n```\nafter", "<pre><code class=\"language-python\">if a &lt; b:\n    print(\"**x**\")</code></pre>\nafter")]
    [InlineData("```\nno language\n", "<pre>no language</pre>")]
    [InlineData("**bold with *italic* inside**", "<b>bold with <i>italic</i> inside</b>")]
    [InlineData("Sources: Refund policy [doc:kb-1]", "Sources: Refund policy [doc:kb-1]")]
    public void Markdown_becomes_telegram_html(string markdown, string html) =>
        TelegramHtml.FromMarkdown(markdown).Should().Be(html);

    [Theory]
    [InlineData("<b>bold</b> &amp; <a href=\"https://x.org\">link</a> 2 &lt; 3", "bold & link 2 < 3")]
    [InlineData("<pre><code class=\"language-cs\">var x = 1;</code></pre>", "var x = 1;")]
    [InlineData("a <b>half", "a half")]
    public void Html_telegram_refused_becomes_the_text_it_would_have_shown(string html, string plain) =>
        TelegramHtml.ToPlainText(html).Should().Be(plain);
}
