using Atlas.Gateway.Tests.Support;
using Atlas.Testing.Sandbox;
using Npgsql;

namespace Atlas.Gateway.Tests.Ingest;

/// <summary>Long polling against the Sandbox: restarts, ordering per chat, concurrency across chats, conflicts.</summary>
public sealed class PollingIngest
{
    [Fact]
    public async Task A_restart_mid_stream_of_a_thousand_polled_updates_handles_each_exactly_once()
    {
        await using var world = await IngestWorld.StartAsync("ingestrestart");
        var (sandbox, bot, _, recorder) = world;
        await sandbox.Telegram.SetLimitsAsync(bot.Token, SandboxLimits.Unlimited);
        var chats = Enumerable.Range(0, 40).Select(_ => IngestUpdates.NewGroupId()).ToArray();
        var injected = new List<long>();

        var first = await world.StartGatewayAsync();
        var injector = Task.Run(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                var sent = await sandbox.Telegram.SendMessageAsync(bot.Token, GroupMessage(chats[i % chats.Length], 9000 + (i % 13), $"m{i}"));
                lock (injected)
                {
                    injected.Add(sent.UpdateId);
                }
            }
        });
        await recorder.WaitUntilAsync(r => r.Distinct >= 250, TimeSpan.FromSeconds(120));
        await first.DisposeAsync();
        var handledBeforeRestart = recorder.Distinct;

        await using (var second = await world.StartGatewayAsync())
        {
            await injector.WaitAsync(TimeSpan.FromSeconds(120));
            try
            {
                await recorder.WaitUntilAsync(r => injected.TrueForAll(id => r.CountOf(id) > 0), TimeSpan.FromSeconds(180));
            }
            catch (TimeoutException exception)
            {
                var missing = string.Join(", ", injected.Where(id => recorder.CountOf(id) == 0));
                throw new TimeoutException($"{exception.Message}; never handled: {missing}", exception);
            }
        }

        await recorder.DrainAsync();
        handledBeforeRestart.Should().BeLessThan(1000, "the restart happened mid-stream");
        injected.Should().HaveCount(1000).And.OnlyHaveUniqueItems();
        recorder.Counts.Keys.Should().BeEquivalentTo(injected);
        recorder.Counts.Where(c => c.Value != 1).Should().BeEmpty("every update is handled exactly once");
    }

    [Fact]
    public async Task Updates_of_one_chat_are_handled_in_the_order_they_arrived()
    {
        await using var world = await IngestWorld.StartAsync("ingestorder");
        var (sandbox, bot, _, recorder) = world;
        await using var gateway = await world.StartGatewayAsync();
        var chats = Enumerable.Range(0, 8).Select(_ => IngestUpdates.NewGroupId()).ToArray();
        var sent = chats.ToDictionary(chat => chat, _ => new List<long>());

        for (var i = 0; i < 240; i++)
        {
            var chat = chats[i % chats.Length];
            sent[chat].Add((await sandbox.Telegram.SendMessageAsync(bot.Token, GroupMessage(chat, 7000 + i, $"n{i}"))).UpdateId);
        }

        await recorder.WaitUntilAsync(r => r.Distinct == 240, TimeSpan.FromSeconds(120));
        foreach (var chat in chats)
        {
            recorder.ChatOrder(chat).Should().Equal(sent[chat], "chat {0} is handled in order", chat);
        }
    }

    [Fact]
    public async Task A_blocked_chat_holds_back_only_its_own_updates()
    {
        await using var world = await IngestWorld.StartAsync("ingestconcurrent");
        var (sandbox, bot, resources, recorder) = world;
        await using var gateway = await world.StartGatewayAsync();
        var slow = IngestUpdates.NewGroupId();
        var others = Enumerable.Range(0, 8).Select(_ => IngestUpdates.NewGroupId()).ToArray();
        var opening = (await sandbox.Telegram.SendMessageAsync(bot.Token, GroupMessage(slow, 6001, "opening"))).UpdateId;
        await recorder.WaitUntilAsync(r => r.CountOf(opening) == 1);

        // Hold the slow chat's row: its next updates rename the chat, so their handler must write that row and waits
        // on PostgreSQL, as a slow handler would.
        await using var connection = new NpgsqlConnection(resources.Database);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM chats WHERE chat_id = $1 FOR UPDATE", connection, transaction))
        {
            lockRow.Parameters.Add(new NpgsqlParameter { Value = slow });
            (await lockRow.ExecuteScalarAsync()).Should().Be(1);
        }

        var slowUpdates = new List<long> { opening };
        for (var i = 0; i < 4; i++)
        {
            var renaming = GroupMessage(slow, 6001, $"slow {i}") with { ChatTitle = "Ingest tests, renamed" };
            slowUpdates.Add((await sandbox.Telegram.SendMessageAsync(bot.Token, renaming)).UpdateId);
        }

        var otherUpdates = new Dictionary<long, List<long>>();
        foreach (var chat in others)
        {
            otherUpdates[chat] = [];
            for (var i = 0; i < 3; i++)
            {
                otherUpdates[chat].Add((await sandbox.Telegram.SendMessageAsync(bot.Token, GroupMessage(chat, 6100 + i, $"other {i}"))).UpdateId);
            }
        }

        // Every other chat proceeds while the slow one waits.
        await recorder.WaitUntilAsync(r => others.All(chat => r.ChatOrder(chat).Count == 3));
        recorder.ChatOrder(slow).Should().Equal([opening], "the slow chat's next update is still held by the lock");

        await transaction.RollbackAsync();
        await transaction.DisposeAsync();
        await recorder.WaitUntilAsync(r => r.ChatOrder(slow).Count == 5 && others.All(chat => r.ChatOrder(chat).Count == 3));
        recorder.ChatOrder(slow).Should().Equal(slowUpdates);
        foreach (var chat in others)
        {
            recorder.ChatOrder(chat).Should().Equal(otherUpdates[chat]);
        }
    }

    [Fact]
    public async Task A_409_conflict_is_retried_and_ingest_continues()
    {
        await using var world = await IngestWorld.StartAsync("ingestconflict");
        var (sandbox, bot, _, recorder) = world;
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault(
            "getUpdates", 409, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", Count: 3));
        var chat = IngestUpdates.NewGroupId();
        var sent = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add((await sandbox.Telegram.SendMessageAsync(bot.Token, GroupMessage(chat, 5001, $"c{i}"))).UpdateId);
        }

        await using var gateway = await world.StartGatewayAsync();

        await recorder.WaitUntilAsync(r => r.ChatOrder(chat).Count == 5);
        recorder.ChatOrder(chat).Should().Equal(sent);
        var polls = await sandbox.Telegram.GetActionsAsync(bot.Token, method: "getUpdates", includeReads: true);
        polls.Count(a => a is { Ok: false, ErrorCode: 409 }).Should().Be(3);
        polls.Should().Contain(a => a.Ok, "polling went on after the conflicts");
    }

    [Fact]
    public async Task A_429_on_getUpdates_waits_the_retry_after_before_polling_again()
    {
        await using var world = await IngestWorld.StartAsync("ingestflood");
        var (sandbox, bot, _, recorder) = world;
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("getUpdates", 429, RetryAfter: 2, Description: "Too Many Requests: retry after 2"));
        var chat = IngestUpdates.NewGroupId();
        var sent = (await sandbox.Telegram.SendMessageAsync(bot.Token, GroupMessage(chat, 5101, "after the flood wait"))).UpdateId;

        await using var gateway = await world.StartGatewayAsync();

        await recorder.WaitUntilAsync(r => r.CountOf(sent) == 1);
        var polls = await sandbox.Telegram.GetActionsAsync(bot.Token, method: "getUpdates", includeReads: true);
        var refused = polls.Single(a => a is { Ok: false, ErrorCode: 429 });
        var next = polls.First(a => a.Seq > refused.Seq);
        (next.At - refused.At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2), "Telegram asked for 2 s");
    }

    internal static SandboxUserMessage GroupMessage(long chatId, long userId, string text) => new()
    {
        ChatId = chatId,
        ChatType = "group",
        ChatTitle = "Ingest tests",
        UserId = userId,
        FirstName = "Tester",
        Text = text,
    };
}
