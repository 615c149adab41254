using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Sandbox.Tests;

/// <summary>Telegram's flood limits on a fake clock: per chat, per group per minute, per bot per second; 429 with retry_after.</summary>
public sealed class SendLimits : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private SandboxHost _host = null!;

    private TelegramSandboxClient Telegram => _host.Telegram;

    public async Task InitializeAsync() =>
        _host = await SandboxHost.StartAsync(
            new Dictionary<string, string?> { ["Sandbox:Telegram:Limits:GlobalPerSecond"] = "25" },
            services => services.AddSingleton<TimeProvider>(_time));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Takes_the_default_limits_from_configuration()
    {
        var bot = await Telegram.CreateBotAsync();

        var limits = await Telegram.GetLimitsAsync(bot.Token);

        limits.Should().Be(new SandboxLimits(1, 3, 20, 25));
    }

    [Fact]
    public async Task Allows_a_short_burst_per_chat_then_answers_429_with_retry_after()
    {
        var bot = await Telegram.CreateBotAsync();
        await Telegram.SetLimitsAsync(bot.Token, new SandboxLimits(1, 3, 0, 0));
        await Telegram.SendMessageAsync(bot.Token, 1101, "hi");

        var burst = await SendAsync(bot, 1101, 3);
        var flooded = await SendAsync(bot, 1101, 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        var later = await SendAsync(bot, 1101, 1);

        burst.Should().OnlyContain(r => r.Ok);
        flooded[0].StatusCode.Should().Be(429);
        flooded[0].Description.Should().Be("Too Many Requests: retry after 1");
        flooded[0].RetryAfter.Should().Be(1);
        later[0].Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Limits_a_group_to_its_messages_per_minute()
    {
        var bot = await Telegram.CreateBotAsync();
        await Telegram.SetLimitsAsync(bot.Token, new SandboxLimits(0, 0, 20, 0));
        await Telegram.SendMessageAsync(bot.Token, new SandboxUserMessage { ChatId = -1102, ChatType = "group", UserId = 1102, Text = "hi" });

        var allowed = await SendAsync(bot, -1102, 20);
        var flooded = await SendAsync(bot, -1102, 1);
        _time.Advance(TimeSpan.FromSeconds(60));
        var nextMinute = await SendAsync(bot, -1102, 1);

        allowed.Should().OnlyContain(r => r.Ok);
        flooded[0].StatusCode.Should().Be(429);
        flooded[0].RetryAfter.Should().Be(60);
        nextMinute[0].Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Limits_the_bot_across_all_chats_per_second()
    {
        var bot = await Telegram.CreateBotAsync();
        await Telegram.SetLimitsAsync(bot.Token, new SandboxLimits(0, 0, 0, 3));
        var results = new List<BotApiResponse>();
        for (var user = 1110; user < 1114; user++)
        {
            await Telegram.SendMessageAsync(bot.Token, user, "hi");
            results.AddRange(await SendAsync(bot, user, 1));
        }

        results.Take(3).Should().OnlyContain(r => r.Ok);
        results[3].StatusCode.Should().Be(429);
        results[3].RetryAfter.Should().Be(1);
    }

    [Fact]
    public async Task Treats_zero_as_unlimited()
    {
        var bot = await Telegram.CreateBotAsync();
        await Telegram.SetLimitsAsync(bot.Token, SandboxLimits.Unlimited);
        await Telegram.SendMessageAsync(bot.Token, 1120, "hi");

        var results = await SendAsync(bot, 1120, 50);

        results.Should().OnlyContain(r => r.Ok);
    }

    [Fact]
    public async Task Lets_edits_and_deletes_through_when_sends_to_the_chat_are_held_back()
    {
        var bot = await Telegram.CreateBotAsync();
        await Telegram.SetLimitsAsync(bot.Token, new SandboxLimits(1, 1, 0, 0));
        await Telegram.SendMessageAsync(bot.Token, 1130, "hi");
        var sent = await SendAsync(bot, 1130, 3);

        var edit = await Telegram.CallBotApiAsync(bot.Token, "editMessageText", new JsonObject
        {
            ["chat_id"] = 1130,
            ["message_id"] = sent[0].Result!["message_id"]!.DeepClone(),
            ["text"] = "changed",
        });
        var delete = await Telegram.CallBotApiAsync(bot.Token, "deleteMessage", new JsonObject
        {
            ["chat_id"] = 1130,
            ["message_id"] = sent[0].Result!["message_id"]!.DeepClone(),
        });

        sent.Select(r => r.StatusCode).Should().Equal(200, 429, 429);
        edit.StatusCode.Should().Be(200);
        delete.StatusCode.Should().Be(200);
    }

    [Fact]
    public async Task Records_rejected_sends_in_the_action_log()
    {
        var bot = await Telegram.CreateBotAsync();
        await Telegram.SetLimitsAsync(bot.Token, new SandboxLimits(1, 1, 0, 0));
        await Telegram.SendMessageAsync(bot.Token, 1140, "hi");
        await SendAsync(bot, 1140, 2);

        var actions = await Telegram.GetActionsAsync(bot.Token, method: "sendMessage");

        actions.Select(a => a.ErrorCode).Should().Equal(null, 429);
        actions[1].RetryAfter.Should().Be(1);
        actions[1].Description.Should().Be("Too Many Requests: retry after 1");
    }

    [Fact]
    public async Task Rejects_negative_limits_with_a_problem()
    {
        var bot = await Telegram.CreateBotAsync();

        var act = () => Telegram.SetLimitsAsync(bot.Token, new SandboxLimits(-1, 0, 0, 0));

        (await act.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
    }

    private async Task<List<BotApiResponse>> SendAsync(SandboxBot bot, long chatId, int count)
    {
        var results = new List<BotApiResponse>();
        for (var i = 0; i < count; i++)
        {
            results.Add(await Telegram.CallBotApiAsync(bot.Token, "sendMessage", new JsonObject { ["chat_id"] = chatId, ["text"] = $"m{i}" }));
        }

        return results;
    }
}
