using Atlas.Moderation.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Moderation.Tests.Flows;

/// <summary>Chat admins moderate with commands in the group; members who are not admins get nothing from them.</summary>
public sealed class AdminCommandFlows(ModerationWorld world) : IClassFixture<ModerationWorld>
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Warnings_up_to_the_limit_escalate_to_the_configured_timed_ban()
    {
        var chat = await world.NewChatAsync();
        await world.AdminSaysAsync(chat, "/warnlimit 2");
        await world.WaitForReplyAsync(chat, t => t == "Warn limit: 2.");
        await world.AdminSaysAsync(chat, "/warnaction ban 2d");
        await world.WaitForReplyAsync(chat, t => t.StartsWith("At the warn limit members are banned for 2d", StringComparison.Ordinal));
        var offence = await world.SayAsync(chat, 6001, "rude words");

        await world.AdminSaysAsync(chat, "/warn rude", replyTo: offence.MessageId);
        await world.WaitForReplyAsync(chat, t => t.Contains("warned (1/2)", StringComparison.Ordinal));
        await world.AdminSaysAsync(chat, "/warn 6001 still rude");

        var ban = (await world.WaitForCallsAsync("banChatMember", chat)).Should().ContainSingle().Subject;
        ban.Parameters["user_id"]!.GetValue<long>().Should().Be(6001);
        DateTimeOffset.FromUnixTimeSeconds(ban.Parameters["until_date"]!.GetValue<long>()).Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(2), Slack);
        await world.WaitForReplyAsync(chat, t => t.Contains("reached 2 warnings and is banned for 2d", StringComparison.Ordinal));
        await world.AdminSaysAsync(chat, "/warns 6001");
        await world.WaitForReplyAsync(chat, t => t == "User 6001 has no warnings.");
    }

    [Fact]
    public async Task Mute_and_ban_durations_become_until_dates_and_unmute_unban_and_kick_call_telegram()
    {
        var chat = await world.NewChatAsync();
        var offence = await world.SayAsync(chat, 6002, "spam");
        await world.SayAsync(chat, 6003, "more spam");

        await world.AdminSaysAsync(chat, "/mute 3h spamming", replyTo: offence.MessageId);
        await world.AdminSaysAsync(chat, "/ban 6003 10m flooding");
        var mute = (await world.WaitForCallsAsync("restrictChatMember", chat)).Single();
        var ban = (await world.WaitForCallsAsync("banChatMember", chat)).Single();
        DateTimeOffset.FromUnixTimeSeconds(mute.Parameters["until_date"]!.GetValue<long>()).Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(3), Slack);
        DateTimeOffset.FromUnixTimeSeconds(ban.Parameters["until_date"]!.GetValue<long>()).Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(10), Slack);
        await world.WaitForReplyAsync(chat, t => t == "User 6002 is muted for 3h: spamming");

        await world.AdminSaysAsync(chat, "/unmute 6002");
        await world.AdminSaysAsync(chat, "/unban 6003");
        await world.AdminSaysAsync(chat, "/kick 6004 bye");
        var restricts = await world.WaitForCallsAsync("restrictChatMember", chat, 2);
        restricts[1].Parameters["permissions"]!["can_send_messages"]!.GetValue<bool>().Should().BeTrue();
        var unbans = await world.WaitForCallsAsync("unbanChatMember", chat, 2);
        unbans.Select(u => u.Parameters["user_id"]!.GetValue<long>()).Should().BeEquivalentTo([6003L, 6004L]);
        (await world.WaitForCallsAsync("banChatMember", chat, 2))[^1].Parameters["user_id"]!.GetValue<long>().Should().Be(6004);
        await Eventually.PollAsync(
            () => world.AuditAsync(chat), rows => rows.Count(r => r.Outcome == "done") >= 5, Slack);
    }

    [Theory]
    [InlineData("/mute 6020 10x spamming", "10x")]
    [InlineData("/ban 6020 400d", "400d")]
    [InlineData("/mute 6020 30", "30")]
    [InlineData("/mute 6020 -5m spamming", "-5m")]
    [InlineData("/ban 6020 10s", "10s")] // Telegram keeps a restriction under 30 s for good
    public async Task A_duration_that_cannot_be_read_gets_the_usage_and_no_action_rather_than_a_permanent_one(string command, string word)
    {
        var chat = await world.NewChatAsync();

        await world.AdminSaysAsync(chat, command);
        await world.WaitForReplyAsync(chat, t => t.StartsWith($"Usage: {command.Split(' ')[0]} ", StringComparison.Ordinal)
            && t.Contains($"\"{word}\" is not a duration", StringComparison.Ordinal));
        await world.AdminSaysAsync(chat, "/mute 6020 10m");

        // The first command was answered (decided) before the second was sent: the one restrict call is the second's.
        var restrict = (await world.WaitForCallsAsync("restrictChatMember", chat)).Single();
        DateTimeOffset.FromUnixTimeSeconds(restrict.Parameters["until_date"]!.GetValue<long>()).Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(10), Slack);
        (await world.WaitForCallsAsync("banChatMember", chat, 0)).Should().BeEmpty();
    }

    [Fact]
    public async Task Restricting_an_admin_or_the_bot_itself_is_refused_with_a_reason_and_nothing_is_sent_to_telegram()
    {
        var chat = await world.NewChatAsync();
        var bot = TelegramBotToken.BotIdOf(world.Token);

        foreach (var command in new[] { $"/ban {ModerationWorld.AdminId} spam", $"/kick {bot}", $"/mute {bot} 10m", $"/warn {ModerationWorld.AdminId}" })
        {
            (await AnswerAsync(chat, command)).Should().Be(
                $"User {command.Split(' ')[1]} is an admin of this chat, and Telegram lets no bot {command.Split(' ')[0]} an admin. Nothing was done.", command);
        }

        (await AnswerAsync(chat, "/warns " + ModerationWorld.AdminId)).Should().Contain("has no warnings");
        (await world.CallsAsync("banChatMember", chat)).Should().BeEmpty();
        (await world.CallsAsync("restrictChatMember", chat)).Should().BeEmpty();
    }

    [Fact]
    public async Task An_admins_command_for_another_bot_in_the_group_is_left_to_that_bot()
    {
        var chat = await world.NewChatAsync();

        await world.AdminSaysAsync(chat, "/ban@other_mod_bot 6030 spam");
        await world.AdminSaysAsync(chat, "/settings@Other_Mod_Bot");
        await world.AdminSaysAsync(chat, "/warns@ATLAS_mod_bot 6030");
        await world.WaitForReplyAsync(chat, t => t.Contains("6030 has no warnings", StringComparison.Ordinal));
        await Eventually.PollAsync(() => world.ProcessedCountAsync(chat), n => n >= 3, Slack);

        (await world.CallsAsync("banChatMember", chat)).Should().BeEmpty();
        (await world.RepliesAsync(chat)).Should().ContainSingle("only the command addressed to this bot (in any letter case) was answered");
    }

    [Fact]
    public async Task A_member_who_is_not_an_admin_gets_no_action_and_no_reply_from_admin_commands()
    {
        var chat = await world.NewChatAsync();
        for (var i = 0; i < 5; i++)
        {
            await world.SayAsync(chat, 6005, "/ban 6006 I say so");
        }

        await world.SayAsync(chat, 6005, "/settings");
        await world.AdminSaysAsync(chat, "/warns 6006");
        await world.WaitForReplyAsync(chat, t => t.Contains("6006 has no warnings", StringComparison.Ordinal));

        (await world.CallsAsync("banChatMember", chat)).Should().BeEmpty();
        (await world.RepliesAsync(chat)).Should().ContainSingle("only the admin's /warns was answered");
    }

    [Fact]
    public async Task Settings_commands_change_the_rules_and_bad_input_gets_its_usage()
    {
        var chat = await world.NewChatAsync();
        await world.AdminSaysAsync(chat, "/setflood ten");
        await world.WaitForReplyAsync(chat, t => t.StartsWith("Usage: /setflood", StringComparison.Ordinal));
        await world.AdminSaysAsync(chat, "/addword /(unclosed/");
        await world.WaitForReplyAsync(chat, t => t.StartsWith("Usage problem: Not a valid pattern", StringComparison.Ordinal));

        await world.AdminSaysAsync(chat, "/addword lottery");
        await world.AdminSaysAsync(chat, "/locklinks on");
        await world.AdminSaysAsync(chat, "/allowdomain example.org");
        await Eventually.PollAsync(() => world.RepliesAsync(chat), replies => replies.Count >= 5, Slack);
        await world.AdminSaysAsync(chat, "/settings");
        var settings = await world.WaitForReplyAsync(chat, t => t.StartsWith("Moderation settings", StringComparison.Ordinal));
        settings.Should().Contain("banned words: lottery").And.Contain("links: locked; allowed: example.org");

        var lottery = await world.SayAsync(chat, 6007, "win the LOTTERY");
        var delete = (await world.WaitForCallsAsync("deleteMessage", chat)).Single();
        delete.Parameters["message_id"]!.GetValue<long>().Should().Be(lottery.MessageId);

        await world.WaitForReplyAsync(chat, t => t.StartsWith("User 6007 warned", StringComparison.Ordinal));

        // "0 messages turns it off", however the admin writes it.
        foreach (var off in new[] { "/setflood 0", "/setflood 0 0" })
        {
            (await AnswerAsync(chat, "/setflood 5 10")).Should().Be("Anti-flood: at most 5 messages in 10 s.");
            (await AnswerAsync(chat, off)).Should().Be("Anti-flood is off.", off);
        }

        (await AnswerAsync(chat, "/settings")).Should().Contain("flood: off");
        (await AnswerAsync(chat, "/warnlimit 150")).Should().Be("Usage: /warnlimit <1 to 100>");
        (await AnswerAsync(chat, "/warnaction mute 10s")).Should().StartWith("Usage: /warnaction mute|ban [duration from 30s to 366d");
    }

    // The bot's answer to one admin command (the next reply in the chat).
    private async Task<string> AnswerAsync(long chat, string command)
    {
        var before = (await world.RepliesAsync(chat)).Count;
        await world.AdminSaysAsync(chat, command);
        return (await Eventually.PollAsync(() => world.RepliesAsync(chat), r => r.Count > before, Slack))[before];
    }

    [Fact]
    public async Task Why_shows_admins_the_recorded_reasons_of_a_moderated_message()
    {
        var chat = await world.NewChatAsync();
        await world.PutSettingsAsync(chat, """{"bannedWords": ["scam"]}""");
        await world.SayAsync(chat, 6008, "this is a scam");
        await world.WaitForCallsAsync("deleteMessage", chat);

        await world.AdminSaysAsync(chat, "/why 6008");

        var why = await world.WaitForReplyAsync(chat, t => t.StartsWith("Recorded for user 6008", StringComparison.Ordinal));
        why.Should().Contain("DeleteMessage by banned_word").And.Contain("banned word or pattern \"scam\"");
        why.Split('\n').Should().ContainSingle(l => l.Contains(" Warn by banned_word", StringComparison.Ordinal))
            .Which.Should().EndWith("banned word or pattern \"scam\"", "a warning is no Telegram action, so it has no outcome to wait for");
    }
}
