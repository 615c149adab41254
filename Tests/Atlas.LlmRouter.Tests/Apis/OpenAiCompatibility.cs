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
}
