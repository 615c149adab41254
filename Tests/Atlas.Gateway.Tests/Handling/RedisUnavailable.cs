using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// A gateway whose Redis is unreachable (a closed port): /readyz says so, /start and /help still answer with a note
/// that conversation memory is unavailable, and the other handlers degrade politely. Polling needs Redis for its
/// offset, so updates are handed to the update handler directly, built as the Sandbox builds them.
/// </summary>
public sealed class RedisUnavailable : IAsyncLifetime
{
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync(
        "handling-noredis",
        new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = $"127.0.0.1:{Atlas.AppHost.Hosting.FreePort.Next()},connectTimeout=500",
        },
        waitUntilReady: false);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Readyz_reports_redis_unhealthy()
    {
        using var client = _gateway.CreateClientWithoutKey();
        var (status, body) = await Eventually.PollAsync(
            async () =>
            {
                using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            },
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30));

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString().Should().Be("unhealthy");
        json.RootElement.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString().Should().Be("healthy");
    }

    [Fact]
    public async Task Start_and_help_still_answer_and_say_memory_is_unavailable()
    {
        await _gateway.Telegram.PutChatAsync(_gateway.Token, 4901, "private");
        await _gateway.Telegram.PutChatAsync(_gateway.Token, 4902, "private");

        await _gateway.HandleDirectlyAsync(PrivateUpdate(1, 4901, "/start", "en"));
        await _gateway.HandleDirectlyAsync(PrivateUpdate(2, 4902, "/help", "ru"));
        await _gateway.HandleDirectlyAsync(PrivateUpdate(2, 4902, "/help", "ru"));

        (await _gateway.WaitForReplyAsync(4901, _ => true)).Should().Be(
            BotTexts.Format(TextKeys.Welcome, English, "Ann") + "\n\n" + BotTexts.Get(TextKeys.MemoryUnavailable, English));
        (await _gateway.WaitForReplyAsync(4902, _ => true)).Should().Be(
            BotTexts.Get(TextKeys.Help, Russian) + "\n\n" + BotTexts.Get(TextKeys.MemoryUnavailable, Russian));
        (await _gateway.RepliesToAsync(4902)).Should().ContainSingle("the same update handled again does not answer twice");
    }

    [Fact]
    public async Task Reset_and_free_text_degrade_politely()
    {
        await _gateway.Telegram.PutChatAsync(_gateway.Token, 4903, "private");

        await _gateway.HandleDirectlyAsync(PrivateUpdate(3, 4903, "/reset", "en"));
        await _gateway.HandleDirectlyAsync(PrivateUpdate(4, 4903, "is anyone there?", "en"));

        var replies = await _gateway.WaitForRepliesAsync(4903, 2);
        replies[0].Should().Be(BotTexts.Get(TextKeys.ResetUnavailable, English));
        replies[1].Should().Be(BotTexts.Get(TextKeys.ServiceUnavailable, English), "nobody answers the LLM request in this test");
    }

    private static JsonObject PrivateUpdate(long updateId, long userId, string text, string languageCode)
    {
        var message = new JsonObject
        {
            ["message_id"] = updateId,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = userId, ["type"] = "private", ["first_name"] = "Ann" },
            ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = "Ann", ["language_code"] = languageCode },
            ["text"] = text,
        };
        if (text.StartsWith('/'))
        {
            var length = text.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? space : text.Length;
            message["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = length });
        }

        return new JsonObject { ["update_id"] = updateId, ["message"] = message };
    }
}
