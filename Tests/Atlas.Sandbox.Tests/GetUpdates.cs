using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>getUpdates as Telegram defines it: confirmation by offset, limit, long polling and its 409 conflicts.</summary>
public sealed class GetUpdates(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Returns_pending_updates_until_an_offset_above_them_confirms_them()
    {
        var bot = await sandbox.NewBotAsync();
        var first = await sandbox.Telegram.SendMessageAsync(bot.Token, 701, "one");
        var second = await sandbox.Telegram.SendMessageAsync(bot.Token, 701, "two");

        var again = await sandbox.CallAsync(bot, "getUpdates");
        var stillThere = await sandbox.CallAsync(bot, "getUpdates");
        var afterFirst = await sandbox.CallAsync(bot, "getUpdates", new JsonObject { ["offset"] = first.UpdateId + 1 });
        var afterBoth = await sandbox.CallAsync(bot, "getUpdates", new JsonObject { ["offset"] = second.UpdateId + 1 });

        Ids(again).Should().Equal(first.UpdateId, second.UpdateId);
        Ids(stillThere).Should().Equal(first.UpdateId, second.UpdateId);
        Ids(afterFirst).Should().Equal(second.UpdateId);
        Ids(afterBoth).Should().BeEmpty();
        (await sandbox.CallAsync(bot, "getUpdates")).Result!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Numbers_updates_in_increasing_order_and_fills_message_id_and_date()
    {
        var bot = await sandbox.NewBotAsync();

        var first = await sandbox.Telegram.SendMessageAsync(bot.Token, 702, "one");
        var second = await sandbox.Telegram.SendMessageAsync(bot.Token, 702, "two");

        second.UpdateId.Should().Be(first.UpdateId + 1);
        second.MessageId.Should().Be(first.MessageId + 1);
        first.Update["message"]!["date"]!.GetValue<long>().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Keeps_only_the_last_updates_for_a_negative_offset()
    {
        var bot = await sandbox.NewBotAsync();
        for (var i = 0; i < 3; i++)
        {
            await sandbox.Telegram.SendMessageAsync(bot.Token, 703, $"m{i}");
        }

        var last = await sandbox.CallAsync(bot, "getUpdates", new JsonObject { ["offset"] = -1 });
        var remaining = await sandbox.CallAsync(bot, "getUpdates");

        last.Result!.AsArray().Should().ContainSingle().Which!["message"]!["text"]!.GetValue<string>().Should().Be("m2");
        Ids(remaining).Should().Equal(Ids(last));
    }

    [Fact]
    public async Task Returns_at_most_limit_updates()
    {
        var bot = await sandbox.NewBotAsync();
        for (var i = 0; i < 3; i++)
        {
            await sandbox.Telegram.SendMessageAsync(bot.Token, 704, $"m{i}");
        }

        var response = await sandbox.CallAsync(bot, "getUpdates", new JsonObject { ["limit"] = 2 });

        response.Result!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task Long_poll_returns_as_soon_as_an_update_arrives()
    {
        var bot = await sandbox.NewBotAsync();
        var poll = sandbox.CallAsync(bot, "getUpdates", new JsonObject { ["timeout"] = 30 });
        await WaitUntilPollingAsync(bot);

        var sent = await sandbox.Telegram.SendMessageAsync(bot.Token, 705, "wake up");
        var response = await poll.WaitAsync(Bound);

        Ids(response).Should().Equal(sent.UpdateId);
    }

    [Fact]
    public async Task Long_poll_answers_an_empty_list_when_its_timeout_passes()
    {
        var bot = await sandbox.NewBotAsync();

        var response = await sandbox.CallAsync(bot, "getUpdates", new JsonObject { ["timeout"] = 1 }).WaitAsync(Bound);

        response.Ok.Should().BeTrue();
        response.Result!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_second_poller_ends_the_waiting_one_with_409()
    {
        var bot = await sandbox.NewBotAsync();
        var first = sandbox.CallAsync(bot, "getUpdates", new JsonObject { ["timeout"] = 30 });
        await WaitUntilPollingAsync(bot);

        var second = sandbox.CallAsync(bot, "getUpdates", new JsonObject { ["timeout"] = 30 });
        var ended = await first.WaitAsync(Bound);
        await sandbox.Telegram.SendMessageAsync(bot.Token, 706, "for the second");
        var served = await second.WaitAsync(Bound);

        ended.StatusCode.Should().Be(409);
        ended.Description.Should().Be("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
        served.Result!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task Answers_409_while_a_webhook_is_set()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.CallAsync(bot, "setWebhook", new JsonObject { ["url"] = "http://127.0.0.1:9/hook" });

        var response = await sandbox.CallAsync(bot, "getUpdates");

        response.StatusCode.Should().Be(409);
        response.Description.Should().Be("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }

    [Fact]
    public async Task Remembers_allowed_updates_and_queues_only_those_kinds()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.CallAsync(bot, "getUpdates", new JsonObject { ["allowed_updates"] = new JsonArray("callback_query") });

        await sandbox.Telegram.SendMessageAsync(bot.Token, 707, "ignored");
        var response = await sandbox.CallAsync(bot, "getUpdates");

        response.Result!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Leaves_chat_member_updates_out_by_default_as_Telegram_does()
    {
        var bot = await sandbox.NewBotAsync();

        await sandbox.Telegram.AddMemberAsync(bot.Token, new SandboxMemberEvent(-708, 70801, "joined"));
        var response = await sandbox.CallAsync(bot, "getUpdates");

        response.Ok.Should().BeTrue(response.Envelope.ToJsonString());
        response.Result!.AsArray().Select(u => u!["message"]?["new_chat_members"]).Should().ContainSingle(m => m != null);
        response.Result!.AsArray().Should().NotContain(u => u!["chat_member"] != null);
    }

    private static long[] Ids(BotApiResponse response) =>
        response.Result!.AsArray().Select(u => u!["update_id"]!.GetValue<long>()).ToArray();

    // A long poll is recorded only when it ends, so wait until the Sandbox holds it as the active poll.
    private async Task WaitUntilPollingAsync(SandboxBot bot)
    {
        var registry = (Atlas.Sandbox.Telegram.Bots.BotRegistry)sandbox.Host.Services.GetService(typeof(Atlas.Sandbox.Telegram.Bots.BotRegistry))!;
        var state = registry.Find(bot.Token)!;
        await Atlas.Testing.Eventually.PollAsync(
            () => Task.FromResult(IsPolling(state)),
            polling => polling,
            Bound);
    }

    private static bool IsPolling(Atlas.Sandbox.Telegram.Bots.SandboxBot bot)
    {
        lock (bot.Sync)
        {
            return bot.ActivePoll is not null;
        }
    }
}
