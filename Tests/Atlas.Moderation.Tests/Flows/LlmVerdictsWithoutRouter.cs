using Atlas.Moderation.Tests.Support;
using Atlas.Testing;

namespace Atlas.Moderation.Tests.Flows;

/// <summary>
/// LlmRouter is not running: verdict requests go unanswered, Moderation gives up after its 1 s timeout, says so once
/// in the log and in <c>moderation_llm_verdicts_total{source="unavailable"}</c>, and the rules alone decide.
/// </summary>
/// <remarks>Runs alone: it reads /metrics, and OpenTelemetry drops a meter's stream when another host of the same meter is disposed.</remarks>
[Collection(MetricsReaders.Name)]
public sealed class LlmVerdictsWithoutRouter(RouterlessVerdictWorld verdicts) : IClassFixture<RouterlessVerdictWorld>
{
    private ModerationWorld World => verdicts.World;

    [Fact]
    public async Task The_rules_alone_decide_within_the_timeout_and_the_log_and_metric_say_unavailable()
    {
        var chat = await World.NewChatAsync();
        await World.PutSettingsAsync(chat, """{"llmVerdicts": true, "bannedWords": ["casino"]}""");

        await World.SayAsync(chat, 7501, "Lucky c4s1no night, no router to ask");
        await Eventually.PollAsync(() => World.ProcessedCountAsync(chat), count => count == 1, TimeSpan.FromSeconds(20));
        var banned = await World.SayAsync(chat, 7502, "the casino word is still banned");

        var delete = (await World.WaitForCallsAsync("deleteMessage", chat)).Should().ContainSingle().Subject;
        delete.Parameters["message_id"]!.GetValue<long>().Should().Be(banned.MessageId);
        await Eventually.PollAsync(() => World.ProcessedCountAsync(chat), count => count == 2, TimeSpan.FromSeconds(20));
        (await World.AuditAsync(chat)).Select(r => r.Rule).Should().OnlyContain(rule => rule == "banned_word");
        verdicts.UnavailableLines(chat).Should().ContainSingle().Which.Should().Contain("did not answer in time");
        var metrics = await World.Ops.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var unavailable = metrics.Split('\n').Where(l => l.StartsWith("moderation_llm_verdicts_total{", StringComparison.Ordinal)
            && l.Contains("source=\"unavailable\"", StringComparison.Ordinal)).ToList();
        unavailable.Should().ContainSingle().Which.Split('}')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0].Should().Be("1");
    }
}
