using Atlas.Contracts.Moderation;
using Atlas.Gateway.Outbound;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// Moderation actions as work of the outbound scheduler: their own lane per chat ahead of the chat's queued messages,
/// the chat's flood state and parking honoured, 5xx retried on the scheduler's backoff, durable across a restart, and
/// never run twice by their ActionId even when queued again.
/// A flood wait longer than a second parks what it hits, so a short test sees parking.
/// </summary>
public sealed class ModerationActionScheduling() : ModerationActionGateway(
    -1001000000701, "moderation-scheduling", new Dictionary<string, string?> { ["Gateway:Outbound:MaxRetryAfter"] = "00:00:01" })
{
    private IOutbox Outbox => Gateway.Services.GetRequiredService<IOutbox>();

    [Fact]
    public async Task A_delete_goes_ahead_of_the_messages_queued_for_the_chat()
    {
        var spam = await Gateway.SayInGroupAsync(Chat, 4701, "buy cheap followers");
        for (var i = 1; i <= 5; i++)
        {
            await Outbox.EnqueueAsync(new OutboundMessage($"priority-{spam.MessageId}-{i}", Chat, $"bot reply {i}"), CancellationToken.None);
        }

        var delete = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.DeleteMessage, Chat, 4701, spam.MessageId, null, "spam");
        await Moderation.Bus.Publish(delete);

        await WaitForOutcomeAsync(delete.ActionId, "done");
        var sends = await Gateway.Telegram.WaitForActionsAsync(Gateway.Token, a => a.Count(c => c.Ok) >= 5, "sendMessage", timeout: TimeSpan.FromSeconds(30));
        var deleted = (await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "deleteMessage")).Should().ContainSingle().Subject;
        deleted.Ok.Should().BeTrue();
        // One message a second: the fifth goes about four seconds after the first, the delete does not wait for it.
        deleted.At.Should().BeBefore(sends[2].At, "the delete does not queue behind the bot's replies");
        // Had the delete taken a turn of the pacing, the reply after it would go a full turn later than the pacing allows:
        // two seconds after the reply before it, or a second after the delete when it went first. Only that gap tells;
        // the others measure the machine's load, not the scheduler.
        var next = sends.Count(send => send.At <= deleted.At);
        var gap = next == 0 ? sends[0].At - deleted.At : sends[next].At - sends[next - 1].At;
        gap.Should().BeLessThan(TimeSpan.FromSeconds(next == 0 ? 0.9 : 1.9), "the delete takes no turn of the chat's send pacing");
    }

    [Fact]
    public async Task A_chat_parked_by_a_flood_wait_holds_itsModeration_actions_until_retry_after_and_then_runs_them()
    {
        await Gateway.Telegram.SetMemberStatusAsync(Gateway.Token, Chat, 4702, "member");
        await Gateway.Telegram.AddFaultAsync(Gateway.Token, new SandboxFault("sendMessage", 429, RetryAfter: 4, Count: 1));
        await Outbox.EnqueueAsync(new OutboundMessage("parked-reply", Chat, "hello group"), CancellationToken.None);
        var flooded = (await Gateway.Telegram.WaitForActionsAsync(Gateway.Token, a => a.Count >= 1, "sendMessage", timeout: TimeSpan.FromSeconds(30)))[0];
        flooded.ErrorCode.Should().Be(429);
        var store = Gateway.Services.GetRequiredService<OutboundStore>();
        await Eventually.PollAsync(() => store.ParkedAsync(CancellationToken.None), parked => parked.Any(p => p.ChatId == Chat), TimeSpan.FromSeconds(10));

        var ban = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Ban, Chat, 4702, null, null, "spam");
        await Moderation.Bus.Publish(ban);

        await WaitForOutcomeAsync(ban.ActionId, "done");
        var bans = await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "banChatMember");
        bans.Should().ContainSingle("the held action is not tried during the wait").Which.Ok.Should().BeTrue();
        (bans[0].At - flooded.At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(4) - TimeSpan.FromMilliseconds(50));
        await Gateway.Telegram.WaitForActionsAsync(Gateway.Token, a => a.Any(c => c.Ok), "sendMessage", timeout: TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AModeration_action_flood_waited_past_the_cap_is_parked_and_runs_after_retry_after()
    {
        await Gateway.Telegram.SetMemberStatusAsync(Gateway.Token, Chat, 4703, "member");
        await Gateway.Telegram.AddFaultAsync(Gateway.Token, new SandboxFault("banChatMember", 429, RetryAfter: 3, Count: 1));
        var ban = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Ban, Chat, 4703, null, null, "spam");

        await Moderation.Bus.Publish(ban);

        var actions = Gateway.Services.GetRequiredService<ActionStore>();
        await Eventually.PollAsync(() => actions.ParkedAsync(CancellationToken.None), parked => parked.Any(p => p.ChatId == Chat), TimeSpan.FromSeconds(30));
        await WaitForOutcomeAsync(ban.ActionId, "done");
        var calls = await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "banChatMember");
        calls.Should().HaveCount(2);
        (calls[1].At - calls[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(50));
        // The action leaves the lane (and the parked set) once its outcome is recorded and reported.
        await Eventually.PollAsync(() => actions.ParkedAsync(CancellationToken.None), parked => parked.All(p => p.ChatId != Chat), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Server_errors_are_retried_by_the_scheduler_and_reported_once()
    {
        await Gateway.Telegram.SetMemberStatusAsync(Gateway.Token, Chat, 4704, "member");
        await Gateway.Telegram.AddFaultAsync(Gateway.Token, new SandboxFault("restrictChatMember", 502, Count: 2));
        var mute = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Restrict, Chat, 4704, null, null, "flood");

        await Moderation.Bus.Publish(mute);

        await WaitForOutcomeAsync(mute.ActionId, "done");
        var calls = await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "restrictChatMember");
        calls.Select(c => c.ErrorCode).Should().Equal(502, 502, null);
        var reported = await Eventually.PollAsync(
            () => Task.FromResult(Executed.Items.Where(i => i.Message.ActionId == mute.ActionId).ToList()), r => r.Count > 0, TimeSpan.FromSeconds(30));
        reported.Should().ContainSingle().Which.Message.Outcome.Should().Be("done");
    }

    [Fact]
    public async Task An_action_queued_again_after_it_ran_reaches_telegram_once_and_its_outcome_is_reported_again()
    {
        await Gateway.Telegram.SetMemberStatusAsync(Gateway.Token, Chat, 4705, "member");
        var ban = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Ban, Chat, 4705, null, null, "spam");
        await Moderation.Bus.Publish(ban);
        await WaitForOutcomeAsync(ban.ActionId, "done");

        // As after a crash between recording the outcome and leaving the queue, or once the queue's memory of the id has expired.
        var redis = Gateway.Services.GetRequiredService<IDatabase>();
        await redis.KeyDeleteAsync(OutboundKeys.ActionDedup(ban.ActionId));
        (await Outbox.EnqueueActionAsync(ban, CancellationToken.None)).Should().BeTrue();

        await Eventually.PollAsync(
            () => Task.FromResult(Executed.Items.Count(i => i.Message.ActionId == ban.ActionId)), n => n >= 2, TimeSpan.FromSeconds(30));
        (await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "banChatMember")).Should().ContainSingle();
        Executed.Items.Where(i => i.Message.ActionId == ban.ActionId).Select(i => i.Message.Outcome).Should().AllBe("done");
    }

    [Fact]
    public async Task A_queued_action_survives_aGateway_restart()
    {
        await Gateway.Telegram.SetMemberStatusAsync(Gateway.Token, Chat, 4706, "member");
        await Gateway.Telegram.AddFaultAsync(Gateway.Token, new SandboxFault("banChatMember", 429, RetryAfter: 3, Count: 1));
        var ban = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Ban, Chat, 4706, null, null, "spam");
        await Moderation.Bus.Publish(ban);
        await Gateway.Telegram.WaitForActionsAsync(Gateway.Token, a => a.Count >= 1, "banChatMember", timeout: TimeSpan.FromSeconds(30));

        await Gateway.StopGatewayAsync();
        await using var restarted = await HandlingGateway.StartAsync(
            "moderation-scheduling", resources: Gateway.Resources, sandbox: Gateway.Sandbox, token: Gateway.Token);

        await WaitForOutcomeAsync(ban.ActionId, "done");
        var calls = await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "banChatMember");
        calls.Should().HaveCount(2);
        calls[1].Ok.Should().BeTrue();
        (calls[1].At - calls[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(50));
    }
}
