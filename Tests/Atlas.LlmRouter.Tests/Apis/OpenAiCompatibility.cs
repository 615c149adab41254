using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atlas.LlmRouter.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace Atlas.LlmRouter.Tests.Apis;

/// <summary>LlmRouter's own <c>POST /v1/chat/completions</c>, driven by the official OpenAI .NET client.</summary>
public sealed class OpenAiCompatibility
{
    private static ChatClient Client(RouterWorld world) =>
        new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(world.Factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(world.Factory.CreateClient()),
        }).GetChatClient("atlas-router");

    [Fact]
    public async Task The_openai_client_gets_a_completion_routed_to_the_sandbox_model_with_the_conversation()
    {
        await using var world = await RouterWorld.StartAsync();

        ChatCompletion completion = await Client(world).CompleteChatAsync(
        [
            new UserChatMessage("My name is Ada."),
            new AssistantChatMessage("Nice to meet you, Ada."),
            new UserChatMessage("What is my name?"),
        ]);

        completion.Content[0].Text.Should().Be("[sandbox model] You asked: \"What is my name?\". Passages: none. Turns: 4.");
        completion.FinishReason.Should().Be(ChatFinishReason.Stop);
        completion.Usage.TotalTokenCount.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task The_openai_client_streams_the_answer()
    {
        await using var world = await RouterWorld.StartAsync();
        var text = "";

        await foreach (var update in Client(world).CompleteChatStreamingAsync([new UserChatMessage("Stream this")]))
        {
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
        }

        text.Should().Be("[sandbox model] You asked: \"Stream this\". Passages: none. Turns: 2.");
    }

    [Fact]
    public async Task With_every_provider_down_the_client_still_gets_an_answer_the_apology()
    {
        await using var world = await RouterWorld.StartAsync();
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 500 });
        await world.Llm.SetFaultAsync("openai", new { kind = "rateLimit", retryAfterSeconds = 60 });

        ChatCompletion completion = await Client(world).CompleteChatAsync([new UserChatMessage("Anyone?")]);

        completion.Content[0].Text.Should().Be("Sorry, I can't answer right now. Please try again in a few minutes.");
    }

    [Fact]
    public async Task A_bad_request_gets_openais_error_shape()
    {
        await using var world = await RouterWorld.StartAsync();
        using var http = world.Factory.CreateClient();

        var response = await http.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), new { model = "atlas-router", messages = Array.Empty<object>() });
        var call = () => Client(world).CompleteChatAsync([new AssistantChatMessage("no user message")]);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        error["type"]!.GetValue<string>().Should().Be("invalid_request_error");
        error["param"]!.GetValue<string>().Should().Be("messages");
        (await call.Should().ThrowAsync<ClientResultException>()).Which.Status.Should().Be(400);
    }

    [Theory]
    [InlineData("""{"model":5,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"messages":[{"role":5,"content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":7}]}]}""", "messages[1].content")]
    [InlineData("""{"messages":[{"role":"user","content":{"text":"hi"}}]}""", "messages[0].content")]
    [InlineData("""{"messages":["hi"]}""", "messages[0]")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":5}""", "stream_options")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":"please"}}""", "stream_options")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"n":2}""", "n")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"n":"1"}""", "n")]
    public async Task A_field_of_the_wrong_type_is_a_400_in_openais_shape_naming_it(string body, string param)
    {
        await using var world = await RouterWorld.StartAsync();
        using var http = world.Factory.CreateClient();

        using var response = await http.PostAsync(
            new Uri("/v1/chat/completions", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        error["type"]!.GetValue<string>().Should().Be("invalid_request_error");
        error["param"]!.GetValue<string>().Should().Be(param);
        error["message"]!.GetValue<string>().Should().Contain($"'{param.Split('[')[0]}");
    }

    [Fact]
    public async Task Content_parts_with_an_image_and_a_null_assistant_content_are_read_as_their_text()
    {
        await using var world = await RouterWorld.StartAsync();
        using var http = world.Factory.CreateClient();
        const string body = """
            {"messages":[{"role":"user","content":"first"},{"role":"assistant","content":null},
             {"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.org/a.png"}},{"type":"text","text":"what is this?"}]}]}
            """;

        using var response = await http.PostAsync(
            new Uri("/v1/chat/completions", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        answer.Should().Contain("You asked: \"what is this?\"");
    }
}
