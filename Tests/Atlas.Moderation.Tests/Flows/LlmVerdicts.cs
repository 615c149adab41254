using Atlas.Moderation.Tests.Support;
using Atlas.Testing;

namespace Atlas.Moderation.Tests.Flows;

/// <summary>
/// LLM-assisted spam verdicts end to end: Sandbox (Telegram and the LLM stand-in), the real gateway, Moderation and
/// LlmRouter over the real bus. A message that breaks no rule but near-matches a banned word ("c4s1no" for "casino")
/// is suspicious; what the model says about it decides, and the verdict is remembered for an hour by content.
/// </summary>
public sealed class LlmVerdicts(VerdictWorld verdicts) : IClassFixture<VerdictWorld>
{
    private ModerationWorld World => verdicts.World;

    [Fact]
    public async Task A_suspicious_message_the_model_calls_spam_is_deleted_and_warned_under_rule_llm_spam()
    {
        var chat = await SuspiciousChatAsync();
        await verdicts.ScriptAsync("mk-spam-1", "spam");

        var sent = await World.SayAsync(chat, 7101, "Huge wins at c4s1no tonight mk-spam-1");

        var delete = (await World.WaitForCallsAsync("deleteMessage", chat)).Should().ContainSingle().Subject;
        delete.Parameters["message_id"]!.GetValue<long>().Should().Be(sent.MessageId);
        var audit = await Eventually.PollAsync(() => World.AuditAsync(chat), rows => rows.Count >= 2, TimeSpan.FromSeconds(30));
        audit.Select(r => (r.Action, r.Rule, r.UserId)).Should().Equal(("DeleteMessage", "llm_spam", 7101L), ("Warn", "llm_spam", 7101L));
        (await verdicts.ReasonsAsync(chat, "llm_spam")).Should().AllSatisfy(reason =>
            reason.Should().Contain("judged spam by ollama (llm)").And.Contain("near_match"));
        await World.WaitForReplyAsync(chat, t => t.Contains("warned (1/3)", StringComparison.Ordinal));
        var prompt = (await verdicts.PromptsAsync("mk-spam-1")).Should().ContainSingle().Subject;
        prompt.Should().Contain("spam or ham").And.Contain("Huge wins at c4s1no tonight mk-spam-1");
    }

    [Fact]
    public async Task The_same_text_within_the_hour_is_decided_from_the_cache_without_a_second_model_request()
    {
        var chat = await SuspiciousChatAsync();
        await verdicts.ScriptAsync("mk-cache-2", "spam");

        var first = await World.SayAsync(chat, 7201, "Free chips at the c-a-s-i-n-o mk-cache-2");
        await World.WaitForCallsAsync("deleteMessage", chat);
        var second = await World.SayAsync(chat, 7202, "free CHIPS at the  c-a-s-i-n-o   mk-cache-2");

        var deletes = await World.WaitForCallsAsync("deleteMessage", chat, 2);
        deletes.Select(d => d.Parameters["message_id"]!.GetValue<long>()).Should().Equal(first.MessageId, second.MessageId);
        var reasons = await Eventually.PollAsync(() => verdicts.ReasonsAsync(chat, "llm_spam"), r => r.Count == 4, TimeSpan.FromSeconds(30));
        reasons.Take(2).Should().AllSatisfy(r => r.Should().Contain("(llm)"));
        reasons.Skip(2).Should().AllSatisfy(r => r.Should().Contain("(cache)"), "the normalised text is the same, so the hour-long cache answers");
        (await verdicts.PromptsAsync("mk-cache-2")).Should().ContainSingle("the second message did not reach the model");
    }

    [Fact]
    public async Task A_ham_verdict_or_an_unclear_answer_leaves_the_decision_to_the_rules()
    {
        var chat = await SuspiciousChatAsync();
        await verdicts.ScriptAsync("mk-ham-3", "ham");
        await verdicts.ScriptAsync("mk-unclear-3", "Hard to say, it could be spam.");

        await World.SayAsync(chat, 7301, "Anyone tried the c4s1no game night? mk-ham-3");
        await World.SayAsync(chat, 7302, "The c4s1no bus leaves at 8 mk-unclear-3");
        var banned = await World.SayAsync(chat, 7303, "casino is a banned word");

        await Eventually.PollAsync(() => World.ProcessedCountAsync(chat), count => count == 3, TimeSpan.FromSeconds(30));
        var delete = (await World.WaitForCallsAsync("deleteMessage", chat)).Should().ContainSingle("only the rule-breaking message goes").Subject;
        delete.Parameters["message_id"]!.GetValue<long>().Should().Be(banned.MessageId);
        (await World.AuditAsync(chat)).Select(r => r.Rule).Should().OnlyContain(rule => rule == "banned_word");
        (await verdicts.PromptsAsync("mk-ham-3")).Should().ContainSingle();
        (await verdicts.PromptsAsync("mk-unclear-3")).Should().ContainSingle();
        verdicts.UnavailableLines(chat).Should().ContainSingle("only the unclear answer is no verdict")
            .Which.Should().Contain("verdict unknown");
    }

    [Fact]
    public async Task Without_the_chat_setting_no_message_is_shown_to_the_model()
    {
        var chat = await World.NewChatAsync();
        await World.PutSettingsAsync(chat, """{"bannedWords": ["casino"]}""");
        await verdicts.ScriptAsync("mk-off-4", "spam");

        await World.SayAsync(chat, 7401, "Lucky c4s1no night mk-off-4");

        await Eventually.PollAsync(() => World.ProcessedCountAsync(chat), count => count == 1, TimeSpan.FromSeconds(30));
        (await World.CallsAsync("deleteMessage", chat)).Should().BeEmpty();
        (await verdicts.PromptsAsync("mk-off-4")).Should().BeEmpty();
    }

    private async Task<long> SuspiciousChatAsync()
    {
        var chat = await World.NewChatAsync();
        await World.PutSettingsAsync(chat, """{"llmVerdicts": true, "bannedWords": ["casino"]}""");
        return chat;
    }
}
