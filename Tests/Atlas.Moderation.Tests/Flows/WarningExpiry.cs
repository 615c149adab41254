using Atlas.Moderation.Tests.Support;
using Atlas.Testing;

namespace Atlas.Moderation.Tests.Flows;

/// <summary>
/// Warnings count toward the warn limit for the chat's warning lifetime (30 days here by default, <c>/warnexpiry</c>
/// per chat), on Moderation's clock; expired ones are not listed and do not escalate, and the audit log keeps them.
/// </summary>
public sealed class WarningExpiry(ClockWorld clock) : IClassFixture<ClockWorld>
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);

    private ModerationWorld World => clock.World;

    [Fact]
    public async Task A_warning_older_than_the_lifetime_does_not_escalate_and_one_within_it_does()
    {
        var chat = await World.NewChatAsync();
        await World.PutSettingsAsync(chat, """{"bannedWords": ["scam"], "warnLimit": 2}""");
        await World.SayAsync(chat, 6101, "a scam, first time");
        await RepliesContainingAsync(chat, "warned (1/2)", 1);

        clock.Time.Advance(TimeSpan.FromDays(31));
        await World.SayAsync(chat, 6101, "a scam, a month later");

        await RepliesContainingAsync(chat, "warned (1/2)", 2);
        (await World.CallsAsync("restrictChatMember", chat)).Should().BeEmpty("the first warning expired after 30 days");

        clock.Time.Advance(TimeSpan.FromDays(29));
        await World.AdminSaysAsync(chat, "/warn 6101 still at it");

        var mute = (await World.WaitForCallsAsync("restrictChatMember", chat)).Should().ContainSingle().Subject;
        mute.Parameters["user_id"]!.GetValue<long>().Should().Be(6101);
        DateTimeOffset.FromUnixTimeSeconds(mute.Parameters["until_date"]!.GetValue<long>())
            .Should().BeCloseTo(clock.Time.GetUtcNow().AddDays(1), Slack, "the warn action lasts 1 d on Moderation's clock");
        await World.WaitForReplyAsync(chat, t => t == "User 6101 reached 2 warnings and is muted for 1d.");
        (await World.AuditAsync(chat)).Count(r => r.Action == "Warn").Should().Be(3, "the audit log keeps the expired warning");
    }

    [Fact]
    public async Task Warns_lists_the_live_warnings_and_when_the_oldest_expires_and_warnexpiry_changes_the_lifetime()
    {
        var chat = await World.NewChatAsync();
        await World.AdminSaysAsync(chat, "/warnexpiry soon");
        await World.WaitForReplyAsync(chat, t => t.StartsWith("Usage: /warnexpiry", StringComparison.Ordinal));
        await World.AdminSaysAsync(chat, "/warnexpiry 2d");
        await World.WaitForReplyAsync(chat, t => t == "Warnings expire after 2d.");
        await World.AdminSaysAsync(chat, "/warn 6102 first");
        await World.WaitForReplyAsync(chat, t => t.Contains("warned (1/3): first", StringComparison.Ordinal));
        clock.Time.Advance(TimeSpan.FromDays(1));
        var second = clock.Time.GetUtcNow();
        await World.AdminSaysAsync(chat, "/warn 6102 second");
        await World.WaitForReplyAsync(chat, t => t.Contains("warned (2/3): second", StringComparison.Ordinal));

        clock.Time.Advance(TimeSpan.FromHours(36));
        await World.AdminSaysAsync(chat, "/warns 6102");

        await World.WaitForReplyAsync(chat, t => t ==
            $"User 6102 has 1 of 3 warnings:\n- second\nThe oldest expires {second.AddDays(2):yyyy-MM-dd HH:mm} UTC (in 12h).");
        await World.AdminSaysAsync(chat, "/settings");
        (await World.WaitForReplyAsync(chat, t => t.StartsWith("Moderation settings", StringComparison.Ordinal)))
            .Should().Contain("warnings expire: after 2d\n");

        await World.AdminSaysAsync(chat, "/warnexpiry off");
        await World.WaitForReplyAsync(chat, t => t == "Warnings no longer expire.");
        await World.AdminSaysAsync(chat, "/warns 6102");
        await World.WaitForReplyAsync(chat, t => t ==
            "User 6102 has 2 of 3 warnings:\n- first\n- second\nWarnings do not expire in this chat.");
        await World.AdminSaysAsync(chat, "/resetwarns 6102");
        await World.WaitForReplyAsync(chat, t => t == "Warnings of user 6102 reset (2 removed).");
        await World.AdminSaysAsync(chat, "/warns 6102");
        await World.WaitForReplyAsync(chat, t => t == "User 6102 has no warnings.");
        (await World.AuditAsync(chat)).Select(r => r.Action).Should().Contain(["Warn", "Warn", "ResetWarnings"]);
    }

    private Task<IReadOnlyList<string>> RepliesContainingAsync(long chat, string text, int count) =>
        Eventually.PollAsync(
            () => World.RepliesAsync(chat), replies => replies.Count(r => r.Contains(text, StringComparison.Ordinal)) == count, Slack);
}
