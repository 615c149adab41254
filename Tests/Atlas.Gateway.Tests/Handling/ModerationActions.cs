using System.Text.Json.Nodes;
using Atlas.Contracts.Moderation;
using Atlas.Gateway.Outbound;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// ModerationActionRequested from the bus is queued in the chat's action lane of the outbox and executed against
/// Telegram once per ActionId, even when delivered twice; its outcome is recorded and reaches Moderation as
/// ModerationActionExecuted; a message already gone counts as deleted, and a flood wait is waited out by the scheduler.
/// </summary>
public sealed class ModerationActions() : ModerationActionGateway(-1001000000501, "handling-moderation")
{
    [Fact]
    public async Task A_ban_delivered_twice_is_executed_once()
    {
        await Gateway.Telegram.SetMemberStatusAsync(Gateway.Token, Chat, 4501, "member");
        var ban = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Ban, Chat, 4501, null, null, "spam");

        await Moderation.Bus.Publish(ban);
        await Moderation.Bus.Publish(ban);

        await Eventually.PollAsync(() => Task.FromResult(Gateway.Metrics.Succeeded("moderation")), n => n >= 2, TimeSpan.FromSeconds(30));
        await WaitForOutcomeAsync(ban.ActionId, "done");
        var bans = await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "banChatMember");
        bans.Should().ContainSingle().Which.Ok.Should().BeTrue();
        (await ReportedAsync(ban.ActionId)).Should().ContainSingle().Which.Should().Be("done", "Moderation's audit gets Telegram's outcome once");
    }

    [Fact]
    public async Task A_delete_is_executed_once_and_a_message_already_gone_counts_as_done()
    {
        var sent = await Gateway.SayInGroupAsync(Chat, 4502, "spam spam");
        var delete = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.DeleteMessage, Chat, 4502, sent.MessageId, null, "spam");
        var missing = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.DeleteMessage, Chat, 4502, 999_999, null, "spam");

        await Moderation.Bus.Publish(delete);
        await Moderation.Bus.Publish(delete);
        await Moderation.Bus.Publish(missing);

        await Eventually.PollAsync(() => Task.FromResult(Gateway.Metrics.Succeeded("moderation")), n => n >= 3, TimeSpan.FromSeconds(30));
        await WaitForOutcomeAsync(delete.ActionId, "done");
        await WaitForOutcomeAsync(missing.ActionId, "done: the message was already gone");
        var deletes = await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "deleteMessage");
        deletes.Where(a => a.Parameters["message_id"]!.GetValue<long>() == sent.MessageId).Should().ContainSingle().Which.Ok.Should().BeTrue();
        (await OutcomeAsync(delete.ActionId)).Should().Be("done");
        (await OutcomeAsync(missing.ActionId)).Should().Be("done: the message was already gone");
        (await Gateway.Telegram.GetChatMessagesAsync(Gateway.Token, Chat)).Single(m => m.MessageId == sent.MessageId).Deleted.Should().BeTrue();
    }

    [Fact]
    public async Task A_restriction_mutes_until_the_given_time_and_an_unban_lifts_a_ban()
    {
        await Gateway.Telegram.SetMemberStatusAsync(Gateway.Token, Chat, 4503, "member");
        await Gateway.Telegram.SetMemberStatusAsync(Gateway.Token, Chat, 4504, "member");
        var until = DateTimeOffset.UtcNow.AddHours(1);
        var restrict = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Restrict, Chat, 4503, null, until, "flood");
        var ban = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Ban, Chat, 4504, null, null, "abuse");
        var unban = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Unban, Chat, 4504, null, null, "appeal");

        await Moderation.Bus.Publish(restrict);
        await Moderation.Bus.Publish(ban);
        await WaitForOutcomeAsync(restrict.ActionId, "done");
        await WaitForOutcomeAsync(ban.ActionId, "done");
        await Moderation.Bus.Publish(unban);
        await Moderation.Bus.Publish(unban);
        await Eventually.PollAsync(() => Task.FromResult(Gateway.Metrics.Succeeded("moderation")), n => n >= 4, TimeSpan.FromSeconds(30));
        await WaitForOutcomeAsync(unban.ActionId, "done");

        var restriction = (await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "restrictChatMember")).Should().ContainSingle().Subject;
        restriction.Ok.Should().BeTrue();
        restriction.Parameters["until_date"]!.GetValue<long>().Should().Be(until.ToUnixTimeSeconds());
        (restriction.Parameters["permissions"]!["can_send_messages"]?.GetValue<bool>() ?? false).Should().BeFalse("an absent permission is not granted");
        (await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "unbanChatMember")).Should().ContainSingle().Which.Ok.Should().BeTrue();
        var member = await Gateway.Telegram.CallBotApiAsync(Gateway.Token, "getChatMember", new JsonObject { ["chat_id"] = Chat, ["user_id"] = 4503 });
        member.Result!["status"]!.GetValue<string>().Should().Be("restricted");
        member.Result!["can_send_messages"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task A_flood_wait_is_honoured_and_the_action_still_runs_once()
    {
        await Gateway.Telegram.SetMemberStatusAsync(Gateway.Token, Chat, 4505, "member");
        await Gateway.Telegram.AddFaultAsync(Gateway.Token, new SandboxFault("banChatMember", 429, RetryAfter: 2, Count: 1));
        var ban = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Ban, Chat, 4505, null, null, "spam");

        await Moderation.Bus.Publish(ban);

        var calls = await Gateway.Telegram.WaitForActionsAsync(Gateway.Token, a => a.Any(c => c.Ok), "banChatMember", timeout: TimeSpan.FromSeconds(30));
        calls.Should().HaveCount(2);
        calls[0].ErrorCode.Should().Be(429);
        (calls[1].At - calls[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(50));
        await Eventually.PollAsync(() => OutcomeAsync(ban.ActionId), outcome => outcome == "done", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_flood_wait_holds_the_chat_and_telegram_is_not_called_again_before_retry_after()
    {
        await Gateway.Telegram.SetMemberStatusAsync(Gateway.Token, Chat, 4507, "member");
        await Gateway.Telegram.AddFaultAsync(Gateway.Token, new SandboxFault("restrictChatMember", 429, RetryAfter: 6, Count: 1));
        var mute = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Restrict, Chat, 4507, null, DateTimeOffset.UtcNow.AddMinutes(10), "flood");

        await Moderation.Bus.Publish(mute);
        var first = await Gateway.Telegram.WaitForActionsAsync(Gateway.Token, a => a.Count >= 1, "restrictChatMember", timeout: TimeSpan.FromSeconds(30));
        // A message for the same chat queued during the flood wait waits it out too: the wait is the chat's.
        var outbox = Gateway.Services.GetRequiredService<IOutbox>();
        await outbox.EnqueueAsync(new OutboundMessage($"flood-held-{mute.ActionId:N}", Chat, "after the flood wait"), CancellationToken.None);

        var calls = await Gateway.Telegram.WaitForActionsAsync(Gateway.Token, a => a.Any(c => c.Ok), "restrictChatMember", timeout: TimeSpan.FromSeconds(40));
        calls.Should().HaveCount(2, "nothing reaches Telegram for the action during the wait");
        calls[0].RetryAfter.Should().Be(6);
        (calls[1].At - calls[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(6) - TimeSpan.FromMilliseconds(50));
        await WaitForOutcomeAsync(mute.ActionId, "done");
        var send = (await Gateway.Telegram.WaitForActionsAsync(
            Gateway.Token, a => a.Any(c => c.Ok && c.Parameters["text"]?.GetValue<string>() == "after the flood wait"), "sendMessage",
            timeout: TimeSpan.FromSeconds(30))).Single(c => c.Parameters["text"]?.GetValue<string>() == "after the flood wait");
        (send.At - first[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(6) - TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task A_refused_action_is_recorded_and_not_retried()
    {
        var ban = new ModerationActionRequested(Guid.NewGuid(), ModerationAction.Ban, -1001000000599, 4506, null, null, "spam");
        await Gateway.Telegram.PutChatAsync(Gateway.Token, -1001000000599, "supergroup", "Bot is no admin here");

        await Moderation.Bus.Publish(ban);

        var outcome = await Eventually.PollAsync(() => OutcomeAsync(ban.ActionId), o => o is not null, TimeSpan.FromSeconds(30));
        outcome.Should().StartWith("refused: 400");
        (await Gateway.Telegram.GetActionsAsync(Gateway.Token, method: "banChatMember")).Should().ContainSingle();
        (await ReportedAsync(ban.ActionId)).Should().ContainSingle().Which.Should().Be(outcome);
    }
}
