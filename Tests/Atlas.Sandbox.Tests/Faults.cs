using System.Diagnostics;
using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>Armed faults: the next calls of a method fail the way Telegram fails, or answer late.</summary>
public sealed class Faults(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Fails_the_next_calls_with_429_and_retry_after_then_recovers()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(1201);
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("sendMessage", 429, RetryAfter: 5, Count: 2));

        var first = await Send(bot, 1201);
        var second = await Send(bot, 1201);
        var third = await Send(bot, 1201);

        first.Envelope.ToJsonString().Should().Be("""{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}""");
        second.StatusCode.Should().Be(429);
        third.Ok.Should().BeTrue();
    }

    [Theory]
    [InlineData(500, "Internal Server Error")]
    [InlineData(502, "Bad Gateway")]
    public async Task Fails_with_a_server_error_body_like_Telegrams(int status, string description)
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(1202);
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("sendMessage", status));

        var response = await Send(bot, 1202);

        response.StatusCode.Should().Be(status);
        response.Envelope.ToJsonString().Should().Be($$"""{"ok":false,"error_code":{{status}},"description":"{{description}}"}""");
    }

    [Fact]
    public async Task Uses_a_description_given_with_the_fault_and_only_for_that_method()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(1203);
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("SENDMESSAGE", 409, Description: "Conflict: something else"));

        var other = await sandbox.CallAsync(bot, "getMe");
        var faulted = await Send(bot, 1203);

        other.Ok.Should().BeTrue();
        faulted.Description.Should().Be("Conflict: something else");
    }

    [Fact]
    public async Task Delays_the_answer_by_delayMs()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(1204);
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("sendMessage", 200, DelayMs: 400));
        var clock = Stopwatch.StartNew();

        var response = await Send(bot, 1204);

        response.Ok.Should().BeTrue();
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(350));
    }

    [Fact]
    public async Task Lists_armed_faults_with_the_calls_they_will_still_affect()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(1206);
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("sendMessage", 500, Count: 2));
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("getMe", 502));

        await Send(bot, 1206);

        (await sandbox.Telegram.GetFaultsAsync(bot.Token)).Should().Equal(
            new SandboxFault("sendMessage", 500, Count: 1), new SandboxFault("getMe", 502));
        await Send(bot, 1206);
        await sandbox.CallAsync(bot, "getMe");
        (await sandbox.Telegram.GetFaultsAsync(bot.Token)).Should().BeEmpty();
    }

    [Fact]
    public async Task Forgets_armed_faults_when_cleared()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(1205);
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("*", 500, Count: 10));

        await sandbox.Telegram.ClearFaultsAsync(bot.Token);
        var response = await Send(bot, 1205);

        response.Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Rejects_a_fault_with_an_impossible_status()
    {
        var bot = await sandbox.NewBotAsync();

        var act = () => sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("sendMessage", 302));

        await act.Should().ThrowAsync<HttpRequestException>();
    }

    private Task<BotApiResponse> Send(SandboxBot bot, long chatId) =>
        sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = chatId, ["text"] = "hi" });
}
