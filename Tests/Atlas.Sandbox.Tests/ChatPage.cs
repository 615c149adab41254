using System.Net;

namespace Atlas.Sandbox.Tests;

/// <summary>The web chat page and its assets are served from the Sandbox itself.</summary>
public sealed class ChatPage(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/chat")]
    public async Task Serves_the_chat_page(string path)
    {
        using var http = new HttpClient { BaseAddress = sandbox.Host.BaseUrl };

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Contain("Atlas Sandbox");
    }

    [Theory]
    [InlineData("/assets/chat.js", "text/javascript")]
    [InlineData("/assets/chat.css", "text/css")]
    public async Task Serves_the_page_assets_locally(string path, string contentType)
    {
        using var http = new HttpClient { BaseAddress = sandbox.Host.BaseUrl };

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(contentType);
    }

    [Fact]
    public async Task Answers_404_for_an_asset_it_does_not_have()
    {
        using var http = new HttpClient { BaseAddress = sandbox.Host.BaseUrl };

        using var response = await http.GetAsync(new Uri("/assets/missing.js", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
