using Atlas.Contracts.Moderation;
using Atlas.Moderation.Tests.Support;
using Atlas.Testing;

namespace Atlas.Moderation.Tests.Flows;

/// <summary>
/// Group messages go in at the Sandbox, through the real gateway and bus to Moderation, and each rule ends in the
/// right Telegram call at the Sandbox.
/// </summary>
public sealed class RuleActions(ModerationWorld world) : IClassFixture<ModerationWorld>
{
    [Fact]
    public async Task Flooding_deletes_the_extra_messages_and_mutes_the_member_once_until_the_flood_mute_ends()
    {
        var chat = await world.NewChatAsync();
        await world.PutSettingsAsync(chat, """{"floodMessages": 3, "floodSeconds": 30, "floodMute": "00:10:00"}""");

        // One at a time: messages of one member judged concurrently can each miss the others still in flight.
        for (var i = 0; i < 5; i++)
        {
            var sent = await world.SayAsync(chat, 5001, $"hello {i}");
            await Eventually.PollAsync(() => ProcessedAsync($"message:{chat}:{sent.UpdateId}"), done => done, TimeSpan.FromSeconds(30));
        }

        var deletes = await world.WaitForCallsAsync("deleteMessage", chat, 2);
        var mute = (await world.WaitForCallsAsync("restrictChatMember", chat)).Should().ContainSingle().Subject;
        mute.Parameters["user_id"]!.GetValue<long>().Should().Be(5001);
        (mute.Parameters["permissions"]!["can_send_messages"]?.GetValue<bool>() ?? false).Should().BeFalse("an absent permission is not granted");
        var until = DateTimeOffset.FromUnixTimeSeconds(mute.Parameters["until_date"]!.GetValue<long>());
        until.Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromSeconds(30));
        deletes.Should().HaveCount(2);
        await world.WaitForReplyAsync(chat, t => t.Contains("muted for 10m", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_to_a_foreign_domain_is_deleted_and_warned_when_links_are_locked_but_an_allowed_domain_passes()
    {
        var chat = await world.NewChatAsync();
        await world.PutSettingsAsync(chat, """{"lockLinks": true, "allowedDomains": ["example.org"]}""");

        var allowed = await world.SayAsync(chat, 5002, "docs at https://docs.example.org/start");
        var foreign = await world.SayAsync(chat, 5002, "cheap stuff at http://spam.biz/buy");

        var delete = (await world.WaitForCallsAsync("deleteMessage", chat)).Should().ContainSingle().Subject;
        delete.Parameters["message_id"]!.GetValue<long>().Should().Be(foreign.MessageId);
        delete.Parameters["message_id"]!.GetValue<long>().Should().NotBe(allowed.MessageId);
        await world.WaitForReplyAsync(chat, t => t.Contains("warned (1/3)", StringComparison.Ordinal));
        var audit = await world.AuditAsync(chat);
        audit.Select(a => (a.Action, a.Rule)).Should().Equal(("DeleteMessage", "links"), ("Warn", "links"));
    }

    [Fact]
    public async Task A_banned_word_or_pattern_is_deleted_and_a_catastrophic_pattern_does_not_stall_the_chat()
    {
        var chat = await world.NewChatAsync();
        await world.PutSettingsAsync(chat, """{"bannedWords": ["casino"], "bannedPatterns": ["fr[e3]{2}\\s*money", "(a+)+$"]}""");

        var word = await world.SayAsync(chat, 5003, "Best CASINO in town");
        var pattern = await world.SayAsync(chat, 5003, "get fr33 money now");
        await world.SayAsync(chat, 5003, new string('a', 40) + "!");
        var clean = await world.SayAsync(chat, 5003, "casinos are not the word");
        // Hidden characters do not hide the word: a NUL (which failed the audit row, so nothing was done) and a zero-width space.
        var nul = await world.SayAsync(chat, 5005, "cas\0ino night");
        var zeroWidth = await world.SayAsync(chat, 5005, "ca\u200Bsino night");

        var deletes = await world.WaitForCallsAsync("deleteMessage", chat, 2);
        var marker = await world.SayAsync(chat, 5004, "casino marker");
        await Eventually.PollAsync(() => world.CallsAsync("deleteMessage", chat), calls => calls.Count >= 5, TimeSpan.FromSeconds(30));
        var deleted = (await world.CallsAsync("deleteMessage", chat)).Select(c => c.Parameters["message_id"]!.GetValue<long>()).ToArray();
        deleted.Should().BeEquivalentTo([word.MessageId, pattern.MessageId, nul.MessageId, zeroWidth.MessageId, marker.MessageId]);
        deleted.Should().NotContain(clean.MessageId);
        deletes.Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_new_member_may_not_post_links_in_the_first_hour_while_an_old_member_may()
    {
        var chat = await world.NewChatAsync();
        await world.Telegram.AddMemberAsync(world.Token, new Atlas.Testing.Sandbox.SandboxMemberEvent(chat, 5005, "joined", "supergroup", "Moderated room"));
        await Eventually.PollAsync(() => JoinedAsync(chat, 5005), joined => joined, TimeSpan.FromSeconds(30));

        var fromNewcomer = await world.SayAsync(chat, 5005, "visit promo.xyz today");
        var fromOldTimer = await world.SayAsync(chat, 5006, "see promo.xyz for the notes");

        var delete = (await world.WaitForCallsAsync("deleteMessage", chat)).Should().ContainSingle().Subject;
        delete.Parameters["message_id"]!.GetValue<long>().Should().Be(fromNewcomer.MessageId);
        fromOldTimer.MessageId.Should().NotBe(fromNewcomer.MessageId);
        (await world.AuditAsync(chat)).Should().ContainSingle().Which.Rule.Should().Be("new_member_links");
    }

    [Fact]
    public async Task Admins_and_approved_members_are_never_acted_on_automatically()
    {
        var chat = await world.NewChatAsync();
        await world.PutSettingsAsync(chat, """{"bannedWords": ["forbidden"]}""");
        var target = await world.SayAsync(chat, 5007, "hi");
        await world.AdminSaysAsync(chat, "/approve", replyTo: target.MessageId);
        await world.WaitForReplyAsync(chat, t => t.Contains("approved", StringComparison.Ordinal));

        await world.AdminSaysAsync(chat, "forbidden from the admin");
        await world.SayAsync(chat, 5007, "forbidden from the approved member");
        var marker = await world.SayAsync(chat, 5008, "forbidden from a stranger");

        var delete = (await world.WaitForCallsAsync("deleteMessage", chat)).Should().ContainSingle().Subject;
        delete.Parameters["message_id"]!.GetValue<long>().Should().Be(marker.MessageId);
    }

    [Fact]
    public async Task Strictness_switched_on_by_ops_at_run_time_makes_links_count_and_switched_off_again_not()
    {
        var chat = await world.NewChatAsync();
        var before = await world.SayAsync(chat, 5009, "look at deals.biz");
        await Eventually.PollAsync(() => ProcessedAsync($"message:{chat}:{before.UpdateId}"), done => done, TimeSpan.FromSeconds(30));

        await world.PutSettingsAsync(chat, """{"strict": true}""");
        var during = await world.SayAsync(chat, 5009, "look at deals.biz again");
        var delete = (await world.WaitForCallsAsync("deleteMessage", chat)).Should().ContainSingle().Subject;
        delete.Parameters["message_id"]!.GetValue<long>().Should().Be(during.MessageId);

        await world.PutSettingsAsync(chat, """{"strict": false}""");
        var after = await world.SayAsync(chat, 5009, "deals.biz once more");
        await Eventually.PollAsync(() => ProcessedAsync($"message:{chat}:{after.UpdateId}"), done => done, TimeSpan.FromSeconds(30));
        (await world.CallsAsync("deleteMessage", chat)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_message_event_delivered_twice_gives_one_action_and_one_audit_row()
    {
        var chat = await world.NewChatAsync();
        await world.PutSettingsAsync(chat, """{"bannedWords": ["dup"]}""");
        var sent = await world.SayAsync(chat, 5010, "a dup message");
        await world.WaitForCallsAsync("deleteMessage", chat);
        var again = new MessagePosted(sent.UpdateId, chat, sent.MessageId, 5010, null, "a dup message", DateTimeOffset.UtcNow);

        await world.Bus.Bus.Publish(again);
        await world.Bus.Bus.Publish(again);
        var marker = await world.SayAsync(chat, 5010, "dup marker");

        await Eventually.PollAsync(() => world.CallsAsync("deleteMessage", chat), calls => calls.Count >= 2, TimeSpan.FromSeconds(30));
        var deleted = (await world.CallsAsync("deleteMessage", chat)).Select(c => c.Parameters["message_id"]!.GetValue<long>()).ToArray();
        deleted.Should().Equal(sent.MessageId, marker.MessageId);
        (await world.AuditAsync(chat)).Count(a => a.Action == "DeleteMessage").Should().Be(2);
    }

    [Fact]
    public async Task The_same_message_event_delivered_twice_at_once_is_decided_and_audited_once()
    {
        var chat = await world.NewChatAsync();
        await world.PutSettingsAsync(chat, """{"bannedWords": ["twin"]}""");
        var twin = new MessagePosted(880_001, chat, 88_001, 5011, null, "a twin message", DateTimeOffset.UtcNow);

        // Both copies are judged at once (outside the transaction); the event's lock and record let only one write.
        await Task.WhenAll(world.Bus.Bus.Publish(twin), world.Bus.Bus.Publish(twin));

        await Eventually.PollAsync(() => world.ProcessedCountAsync(chat), count => count == 1, TimeSpan.FromSeconds(30));
        var audit = await Eventually.PollAsync(() => world.AuditAsync(chat), rows => rows.Count >= 2, TimeSpan.FromSeconds(30));
        audit.Select(a => (a.Action, a.Rule)).Should().Equal(("DeleteMessage", "banned_word"), ("Warn", "banned_word"));
        await world.WaitForReplyAsync(chat, t => t.Contains("warned (1/3)", StringComparison.Ordinal));
        await world.SayAsync(chat, 5011, "twin marker");
        await world.WaitForReplyAsync(chat, t => t.Contains("warned (2/3)", StringComparison.Ordinal));
        (await world.RepliesAsync(chat)).Should().HaveCount(2, "one warning per message, not per delivery");
        (await world.AuditAsync(chat)).Count(a => a.Action == "Warn").Should().Be(2);
    }

    private async Task<bool> JoinedAsync(long chatId, long userId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(world.Resources.Database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM member_joins WHERE chat_id = $1 AND user_id = $2", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = chatId });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = userId });
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private async Task<bool> ProcessedAsync(string eventKey)
    {
        await using var connection = new Npgsql.NpgsqlConnection(world.Resources.Database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM processed_events WHERE event_key = $1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = eventKey });
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
