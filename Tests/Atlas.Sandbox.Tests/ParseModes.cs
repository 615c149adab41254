using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>parse_mode HTML, MarkdownV2 and Markdown become plain text and entities, and malformed text is refused.</summary>
public sealed class ParseModes(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Turns_HTML_tags_into_entities()
    {
        var message = await SendOkAsync("HTML", "<b>Hi</b> <a href=\"https://example.org/x?a=1&amp;b=2\">there</a> &lt;3");

        message["text"]!.GetValue<string>().Should().Be("Hi there <3");
        Entities(message).Should().Equal("bold:0:2", "text_link:3:5");
        message["entities"]![1]!["url"]!.GetValue<string>().Should().Be("https://example.org/x?a=1&b=2");
    }

    [Fact]
    public async Task Gives_a_pre_block_the_language_of_its_code_tag()
    {
        var message = await SendOkAsync("HTML", "<pre><code class=\"language-csharp\">var x = 1;</code></pre>");

        Entities(message).Should().Equal("pre:0:10");
        message["entities"]![0]!["language"]!.GetValue<string>().Should().Be("csharp");
    }

    [Theory]
    [InlineData("<blink>x</blink>", "Bad Request: can't parse entities: Unsupported start tag \"blink\" at byte offset 0")]
    [InlineData("<b>never closed", "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"")]
    [InlineData("<b><i>x</b></i>", "Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\"")]
    public async Task Refuses_malformed_HTML(string text, string description)
    {
        var response = await SendAsync("HTML", text);

        response.StatusCode.Should().Be(400);
        response.Description.Should().Be(description);
    }

    [Fact]
    public async Task Turns_MarkdownV2_into_entities_and_unescapes()
    {
        var message = await SendOkAsync("MarkdownV2", "*bold* _it_ __under__ ~gone~ ||hidden|| `code` [link](https://example.org) 1\\.5\\!");

        message["text"]!.GetValue<string>().Should().Be("bold it under gone hidden code link 1.5!");
        Entities(message).Should().Equal("bold:0:4", "italic:5:2", "underline:8:5", "strikethrough:14:4", "spoiler:19:6", "code:26:4", "text_link:31:4");
    }

    [Fact]
    public async Task Refuses_an_unescaped_reserved_character_in_MarkdownV2()
    {
        var response = await SendAsync("MarkdownV2", "Version 1.5 is out");

        response.Description.Should().Be("Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'");
    }

    [Fact]
    public async Task Refuses_an_unclosed_MarkdownV2_entity()
    {
        var response = await SendAsync("MarkdownV2", "*bold");

        response.Description.Should().Be("Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0");
    }

    [Fact]
    public async Task Reads_legacy_Markdown()
    {
        var message = await SendOkAsync("Markdown", "*bold* and _italic_ 1.5");

        message["text"]!.GetValue<string>().Should().Be("bold and italic 1.5");
        Entities(message).Should().Equal("bold:0:4", "italic:9:6");
    }

    [Fact]
    public async Task Measures_length_after_markup_is_removed()
    {
        var response = await SendAsync("HTML", "<b>" + new string('a', 4096) + "</b>");

        response.Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Ignores_the_letter_case_of_the_parse_mode()
    {
        var message = await SendOkAsync("html", "<i>x</i>");

        Entities(message).Should().Equal("italic:0:1");
    }

    private async Task<BotApiResponse> SendAsync(string parseMode, string text)
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(1501);
        return await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 1501, ["text"] = text, ["parse_mode"] = parseMode });
    }

    private async Task<JsonObject> SendOkAsync(string parseMode, string text)
    {
        var response = await SendAsync(parseMode, text);
        response.Ok.Should().BeTrue(response.Description);
        return response.Result!.AsObject();
    }

    private static List<string> Entities(JsonObject message) =>
        (message["entities"]?.AsArray() ?? [])
            .Select(e => $"{e!["type"]}:{e["offset"]}:{e["length"]}")
            .ToList();
}
