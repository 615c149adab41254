using Atlas.Gateway.Tests.Support;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>
/// The 20-a-minute limit of a group, on a fake clock (a real minute is too long for a test): the Sandbox is unlimited,
/// so what holds the 21st message back is the sender alone.
/// </summary>
public sealed class OutboundGroupLimit(OutboundSandbox fixture) : IClassFixture<OutboundSandbox>
{
    private const long Group = -5001;
    private const long Canary = 5002;

    [Fact]
    public async Task Sends_at_most_20_messages_to_a_group_in_a_minute_and_the_rest_after_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = OutboundScenario.Fast(("PerGroupPerMinute", "20"));
        await using var scenario = await OutboundScenario.StartAsync(fixture, options, SandboxLimits.Unlimited, time);
        await scenario.AddChatsAsync(Group, Canary);
        var start = time.GetUtcNow();

        for (var i = 0; i < 25; i++)
        {
            await scenario.EnqueueAsync($"group:{i}", Group, $"g{i}");
        }

        await scenario.WaitForDeliveredAsync(20);
        var firstSend = DateTimeOffset.FromUnixTimeMilliseconds(start.ToUnixTimeMilliseconds());
        (await scenario.Store.ScheduledAtAsync(Group, CancellationToken.None)).Should().Be(firstSend.AddMinutes(1), "the 21st waits until the first of the 20 is a minute old");

        // A message to another chat goes at once; by the time it arrived the group, not due, got nothing more.
        await scenario.EnqueueAsync("canary:1", Canary, "canary");
        await scenario.WaitForDeliveredAsync(21);
        (await scenario.TextsInAsync(Group)).Should().HaveCount(20);

        time.Advance(TimeSpan.FromSeconds(59));
        await scenario.EnqueueAsync("canary:2", Canary, "canary 2");
        await scenario.WaitForDeliveredAsync(22);
        (await scenario.TextsInAsync(Group)).Should().HaveCount(20, "59 s after the first send the window is still full");

        time.Advance(TimeSpan.FromSeconds(1));
        await scenario.WaitForDeliveredAsync(27);
        (await scenario.TextsInAsync(Group)).Should().Equal(Enumerable.Range(0, 25).Select(i => $"g{i}"));
        (await scenario.SendsAsync()).Should().OnlyContain(a => a.Ok);
    }
}
