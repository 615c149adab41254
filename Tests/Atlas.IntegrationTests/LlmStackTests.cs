using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Testing.Sandbox;

namespace Atlas.IntegrationTests;

/// <summary>
/// LlmRouter in the whole stack from the real AppHost: a private message goes gateway → RabbitMQ → LlmRouter → the
/// Sandbox's model and back, grounded in a document ingested over LlmRouter's HTTP API; <c>/search</c> finds it; the
/// rate-limited dashboard commands switch LlmRouter to rule-based answers and back.
/// </summary>
[Collection("stack")]
public sealed class LlmStackTests(RunningAtlas stack)
{
    private const string SandboxModelLabel = "[sandbox model]";
    private static readonly string[] FacilitiesTags = ["facilities"];

    private DistributedApplication App => stack.App;

    [Fact]
    public async Task A_private_message_gets_the_grounded_sandbox_model_answer_and_search_finds_the_document()
    {
        await IngestAsync(new
        {
            id = "it-parking", title = "Parking garage access", body = "Employees enter the parking garage with their badge at gate B after 7 am.",
            source = "handbook/parking.md", language = "en", tags = FacilitiesTags,
        });
        var token = await stack.SecretAsync("sandbox-bot-token");
        using var telegram = new TelegramSandboxClient(App.GetEndpoint("sandbox", "http"));

        await telegram.SendMessageAsync(token, new SandboxUserMessage { UserId = 4343, FirstName = "Ada", LanguageCode = "en", Text = "How do I enter the parking garage?" });
        var answer = await WaitForReplyAsync(telegram, token, 4343, text => text.Contains(SandboxModelLabel, StringComparison.Ordinal));
        answer.Should().Contain("How do I enter the parking garage?").And.Contain("it-parking", "the grounding passage reached the model and the answer names it");

        await telegram.SendMessageAsync(token, new SandboxUserMessage { UserId = 4344, FirstName = "Ada", LanguageCode = "en", Text = "/search parking garage" });
        (await WaitForReplyAsync(telegram, token, 4344, _ => true)).Should().Contain("Parking garage access");
    }

    [Fact]
    public async Task The_rate_limited_commands_switch_LlmRouter_to_rule_based_answers_and_back()
    {
        var token = await stack.SecretAsync("sandbox-bot-token");
        using var telegram = new TelegramSandboxClient(App.GetEndpoint("sandbox", "http"));
        try
        {
            var on = await App.ResourceCommands.ExecuteCommandAsync("llmrouter", "rate-limited-on");
            on.Success.Should().BeTrue(on.Message);
            (await RateLimitedAsync()).Should().BeTrue();

            await telegram.SendMessageAsync(token, new SandboxUserMessage { UserId = 4345, FirstName = "Ada", LanguageCode = "en", Text = "hello there" });
            (await WaitForReplyAsync(telegram, token, 4345, _ => true)).Should().NotContain(SandboxModelLabel, "no model is asked while rate-limited");
        }
        finally
        {
            var off = await App.ResourceCommands.ExecuteCommandAsync("llmrouter", "rate-limited-off");
            off.Success.Should().BeTrue(off.Message);
        }

        (await RateLimitedAsync()).Should().BeFalse();
        await telegram.SendMessageAsync(token, new SandboxUserMessage { UserId = 4346, FirstName = "Ada", LanguageCode = "en", Text = "What is the meaning of a sandbox?" });
        (await WaitForReplyAsync(telegram, token, 4346, _ => true)).Should().Contain(SandboxModelLabel);
    }

    private async Task<HttpClient> AdminClientAsync()
    {
        var http = App.CreateHttpClient("llmrouter", "http");
        http.DefaultRequestHeaders.Add("X-Admin-Key", await stack.SecretAsync("llmrouter-admin-key"));
        return http;
    }

    private async Task IngestAsync(object document)
    {
        using var http = await AdminClientAsync();
        using var response = await http.PostAsJsonAsync(new Uri("/knowledge/documents", UriKind.Relative), document);
        response.EnsureSuccessStatusCode();
    }

    private async Task<bool> RateLimitedAsync()
    {
        using var http = await AdminClientAsync();
        return (await http.GetFromJsonAsync<JsonElement>(new Uri("/admin/rate-limited", UriKind.Relative))).GetProperty("enabled").GetBoolean();
    }

    /// <summary>The text of the first successful sendMessage to <paramref name="chatId"/> that matches.</summary>
    private static async Task<string> WaitForReplyAsync(TelegramSandboxClient telegram, string token, long chatId, Func<string, bool> matches)
    {
        bool Reply(SandboxAction a) => a.Ok && a.Parameters["chat_id"]?.GetValue<long>() == chatId && matches(a.Parameters["text"]?.GetValue<string>() ?? "");
        var actions = await telegram.WaitForActionsAsync(token, all => all.Any(Reply), method: "sendMessage", timeout: TimeSpan.FromSeconds(60));
        return actions.First(Reply).Parameters["text"]!.GetValue<string>();
    }
}
