using Atlas.Gateway.Tests.Support;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>The sender's pacing against the Sandbox's flood control with Telegram's limits: order per chat, spacing per chat, the overall cap.</summary>
public sealed class OutboundPacing(OutboundSandbox fixture) : IClassFixture<OutboundSandbox>
{
    [Fact]
    public async Task Sends_each_chats_messages_in_the_order_they_were_queued()
    {
        await using var scenario = await OutboundScenario.StartAsync(fixture, OutboundScenario.Fast(), SandboxLimits.Unlimited);
        long[] chats = [101, 102, 103];
        await scenario.AddChatsAsync(chats);

        for (var i = 0; i < 10; i++)
        {
            foreach (var chat in chats)
            {
                (await scenario.EnqueueAsync($"order:{chat}:{i}", chat, $"{chat}-{i}")).Should().BeTrue();
            }
        }

        await scenario.WaitForDeliveredAsync(30);
        foreach (var chat in chats)
        {
            (await scenario.TextsInAsync(chat)).Should().Equal(Enumerable.Range(0, 10).Select(i => $"{chat}-{i}"));
        }
    }

    [Fact]
    public async Task Keeps_at_least_one_second_between_two_sends_to_the_same_chat()
    {
        await using var scenario = await OutboundScenario.StartAsync(fixture);
        await scenario.AddChatsAsync(201);

        for (var i = 0; i < 4; i++)
        {
            await scenario.EnqueueAsync($"spacing:{i}", 201, $"m{i}");
        }

        var sends = await scenario.WaitForDeliveredAsync(4);
        sends.Should().OnlyContain(a => a.Ok, "the Sandbox, with Telegram's limits, never had to refuse a send");
        var times = sends.Select(a => a.At).ToList();
        for (var i = 1; i < times.Count; i++)
        {
            (times[i] - times[i - 1]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        }

        (await scenario.TextsInAsync(201)).Should().Equal("m0", "m1", "m2", "m3");
    }

    [Fact]
    public async Task Sends_no_more_than_30_messages_in_any_second_overall()
    {
        await using var scenario = await OutboundScenario.StartAsync(fixture);
        var chats = Enumerable.Range(1, 75).Select(i => 3000L + i).ToArray();
        await scenario.AddChatsAsync(chats);

        foreach (var chat in chats)
        {
            await scenario.EnqueueAsync($"global:{chat}", chat, "hello");
        }

        var sends = await scenario.WaitForDeliveredAsync(chats.Length);
        sends.Should().OnlyContain(a => a.Ok, "the Sandbox's 30/s overall limit was never hit");
        var times = sends.Select(a => a.At).Order().ToList();
        for (var i = 30; i < times.Count; i++)
        {
            (times[i] - times[i - 30]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), "send {0} and send {1} are 30 apart", i - 30, i);
        }

        (times[^1] - times[0]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2), "75 messages at 30/s take more than two seconds");
    }

    [Fact]
    public async Task A_chat_waiting_out_a_flood_wait_does_not_hold_up_other_chats()
    {
        await using var scenario = await OutboundScenario.StartAsync(fixture, OutboundScenario.Fast(), SandboxLimits.Unlimited);
        await scenario.AddChatsAsync(401, 402);
        await scenario.Telegram.AddFaultAsync(scenario.Token, new SandboxFault("sendMessage", 429, RetryAfter: 30));

        await scenario.EnqueueAsync("hol:401:0", 401, "slow-0");
        await scenario.Telegram.WaitForActionsAsync(scenario.Token, actions => actions.Any(a => a.ErrorCode == 429), "sendMessage");
        await scenario.EnqueueAsync("hol:401:1", 401, "slow-1");
        for (var i = 0; i < 5; i++)
        {
            await scenario.EnqueueAsync($"hol:402:{i}", 402, $"free-{i}");
        }

        await scenario.WaitForDeliveredAsync(5);
        (await scenario.TextsInAsync(402)).Should().Equal("free-0", "free-1", "free-2", "free-3", "free-4");
        (await scenario.TextsInAsync(401)).Should().BeEmpty("chat 401 waits 30 s as Telegram asked");
        (await scenario.Store.ScheduledAtAsync(401, CancellationToken.None)).Should().BeAfter(DateTimeOffset.UtcNow.AddSeconds(20));
    }
}
