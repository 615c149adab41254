using Atlas.LlmRouter.Tests.Support;

namespace Atlas.LlmRouter.Tests.Routing;

/// <summary>The cooldown circuit on a fake clock: skip a failing provider, probe it after the cooldown, honour Retry-After.</summary>
public sealed class Cooldown
{
    [Fact]
    public async Task A_provider_failing_the_allowed_times_is_skipped_then_probed_again_after_the_cooldown()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?>
        {
            ["LlmRouter:Circuit:AllowedFails"] = "2",
            ["LlmRouter:Circuit:Cooldown"] = "00:00:05",
        }, fakeTime: true);
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 500 });

        (await world.AskAsync("one", conversationId: "c1")).Provider.Should().Be("openai");
        (await world.AskAsync("two", conversationId: "c2")).Provider.Should().Be("openai");
        (await world.Llm.CountAsync("ollama")).Should().Be(2);

        (await world.AskAsync("three", conversationId: "c3")).Provider.Should().Be("openai");
        (await world.Llm.CountAsync("ollama")).Should().Be(2, "ollama cools down and is not called");

        await world.Llm.ClearFaultAsync("ollama");
        world.Time!.Advance(TimeSpan.FromSeconds(5));
        (await world.AskAsync("four", conversationId: "c4")).Provider.Should().Be("ollama", "after the cooldown it is probed again and answers");
        (await world.Llm.CountAsync("ollama")).Should().Be(3);
    }

    [Fact]
    public async Task A_failed_probe_cools_the_provider_down_again_at_once()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?>
        {
            ["LlmRouter:Circuit:AllowedFails"] = "1",
            ["LlmRouter:Circuit:Cooldown"] = "00:00:10",
        }, fakeTime: true);
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 502 });

        await world.AskAsync("one", conversationId: "c1");
        world.Time!.Advance(TimeSpan.FromSeconds(10));
        await world.AskAsync("two", conversationId: "c2");
        await world.AskAsync("three", conversationId: "c3");

        (await world.Llm.CountAsync("ollama")).Should().Be(2, "the probe failed, so the third question skips ollama");
    }

    [Fact]
    public async Task A_429_goes_straight_to_the_next_provider_and_retry_after_keeps_the_first_one_out_until_it_passes()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?>
        {
            ["LlmRouter:Circuit:Cooldown"] = "00:00:05",
        }, fakeTime: true);
        await world.Llm.SetFaultAsync("ollama", new { kind = "rateLimit", retryAfterSeconds = 30, times = 1 });

        (await world.AskAsync("one", conversationId: "c1")).Provider.Should().Be("openai");
        (await world.Llm.CountAsync("ollama")).Should().Be(1, "a 429 is not retried on the same provider");

        world.Time!.Advance(TimeSpan.FromSeconds(29));
        (await world.AskAsync("two", conversationId: "c2")).Provider.Should().Be("openai");
        (await world.Llm.CountAsync("ollama")).Should().Be(1, "Retry-After (30 s) is longer than the cooldown and is honoured");

        world.Time.Advance(TimeSpan.FromSeconds(1));
        (await world.AskAsync("three", conversationId: "c3")).Provider.Should().Be("ollama");
    }

    [Fact]
    public async Task Budget_exhausted_answers_cool_a_provider_like_server_errors()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?>
        {
            ["LlmRouter:Circuit:AllowedFails"] = "1",
        }, fakeTime: true);
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 400, message = "You have reached your usage limit for this month." });

        await world.AskAsync("one", conversationId: "c1");
        await world.AskAsync("two", conversationId: "c2");

        (await world.Llm.CountAsync("ollama")).Should().Be(1);
    }

    [Fact]
    public async Task An_ordinary_400_does_not_cool_the_provider()
    {
        await using var world = await RouterWorld.StartAsync(new Dictionary<string, string?>
        {
            ["LlmRouter:Circuit:AllowedFails"] = "1",
        }, fakeTime: true);
        await world.Llm.SetFaultAsync("ollama", new { kind = "fail", status = 400, message = "invalid option" });

        (await world.AskAsync("one", conversationId: "c1")).Provider.Should().Be("openai");
        await world.AskAsync("two", conversationId: "c2");

        (await world.Llm.CountAsync("ollama")).Should().Be(2);
    }
}
