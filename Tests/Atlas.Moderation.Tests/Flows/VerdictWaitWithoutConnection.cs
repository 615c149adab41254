using Atlas.Moderation.Tests.Support;
using Atlas.Testing;

namespace Atlas.Moderation.Tests.Flows;

/// <summary>
/// Waiting for LlmRouter's spam verdict holds no PostgreSQL connection: with a pool of one connection, a message in
/// another chat is decided and acted on while the first message's verdict is still awaited (the model hangs).
/// </summary>
public sealed class VerdictWaitWithoutConnection(SingleConnectionVerdictWorld verdicts) : IClassFixture<SingleConnectionVerdictWorld>
{
    private ModerationWorld World => verdicts.World;

    [Fact]
    public async Task Another_chat_is_moderated_while_a_verdict_is_awaited_on_a_one_connection_pool()
    {
        var waiting = await World.NewChatAsync();
        await World.PutSettingsAsync(waiting, """{"llmVerdicts": true, "bannedWords": ["casino"]}""");
        var other = await World.NewChatAsync();
        await World.PutSettingsAsync(other, """{"bannedWords": ["casino"]}""");
        await verdicts.HangModelAsync(times: 1);

        await World.SayAsync(waiting, 7601, "Lucky c4s1no night mk-held-6");
        await Eventually.PollAsync(verdicts.HeldAsync, held => held == 1, TimeSpan.FromSeconds(20));
        var banned = await World.SayAsync(other, 7602, "the casino word is banned here");

        var delete = (await World.WaitForCallsAsync("deleteMessage", other)).Should().ContainSingle().Subject;
        delete.Parameters["message_id"]!.GetValue<long>().Should().Be(banned.MessageId);
        await Eventually.PollAsync(() => World.ProcessedCountAsync(other), count => count == 1, TimeSpan.FromSeconds(20));
        (await verdicts.HeldAsync()).Should().Be(1, "the first message's verdict is still awaited");
        (await World.ProcessedCountAsync(waiting)).Should().Be(0);

        // LlmRouter gives up on the hanging model; without a verdict the rules decide, and they find nothing.
        await Eventually.PollAsync(() => World.ProcessedCountAsync(waiting), count => count == 1, TimeSpan.FromSeconds(40));
        (await World.CallsAsync("deleteMessage", waiting)).Should().BeEmpty();
        verdicts.UnavailableLines(waiting).Should().ContainSingle();
    }
}
