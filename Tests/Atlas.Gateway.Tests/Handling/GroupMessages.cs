using System.Text.Json.Nodes;
using Atlas.Contracts.Moderation;
using Atlas.Gateway.Groups;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Telegram.Api;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// Group messages reach Moderation as MessagePosted (with a MessageId derived from the update), memberships are kept
/// for /groups, and update kinds the gateway does not handle are counted, not fatal.
/// </summary>
public sealed class GroupMessages : IAsyncLifetime
{
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync("handling-groups");

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_group_message_is_published_for_moderation_with_a_message_id_from_the_update()
    {
        var posted = new Received<MessagePosted>();
        await using var peer = await PeerBus.StartAsync(_gateway.Resources.RabbitMq, bus =>
            bus.ReceiveEndpoint(PeerBus.QueueName("moderation"), e => e.Handler<MessagePosted>(posted.Add)));

        var sent = await _gateway.SayInGroupAsync(-1001000000301, 4301, "buy cheap stuff", username: "bob");

        var items = await Eventually.PollAsync(() => Task.FromResult(posted.Items), i => i.Count >= 1, TimeSpan.FromSeconds(30));
        var (messageId, message) = items.Single();
        messageId.Should().Be(UpdateMessageIds.For(sent.UpdateId, GroupMessageHandler.Purpose));
        message.UpdateId.Should().Be(sent.UpdateId);
        message.ChatId.Should().Be(-1001000000301);
        message.MessageId.Should().Be(sent.MessageId);
        message.UserId.Should().Be(4301);
        message.Username.Should().Be("bob");
        message.Text.Should().Be("buy cheap stuff");
        _gateway.Metrics.Succeeded("group_message").Should().Be(1);
        (await _gateway.RepliesToAsync(-1001000000301)).Should().BeEmpty("the bot does not chat in groups");
    }

    [Fact]
    public async Task A_nul_character_in_a_message_reaches_moderation_as_the_replacement_character_and_a_written_backslash_u0000_as_text()
    {
        var posted = new Received<MessagePosted>();
        await using var peer = await PeerBus.StartAsync(_gateway.Resources.RabbitMq, bus =>
            bus.ReceiveEndpoint(PeerBus.QueueName("moderation"), e => e.Handler<MessagePosted>(posted.Add)));

        // PostgreSQL refuses U+0000: Moderation's audit row for such a message failed, so the spam it carried stayed.
        await _gateway.SayInGroupAsync(-1001000000304, 4304, "cas\0ino");
        await _gateway.SayInGroupAsync(-1001000000304, 4304, @"written \u0000 and \\u0000");

        var items = await Eventually.PollAsync(() => Task.FromResult(posted.Items), i => i.Count >= 2, TimeSpan.FromSeconds(30));
        items.Select(i => i.Message.Text).Should().BeEquivalentTo(["cas\uFFFDino", @"written \u0000 and \\u0000"]);
        _gateway.Metrics.Succeeded("group_message").Should().Be(2);
    }

    [Fact]
    public async Task A_command_for_another_bot_is_marked_so_and_one_for_this_bot_in_any_case_is_not()
    {
        var posted = new Received<MessagePosted>();
        await using var peer = await PeerBus.StartAsync(_gateway.Resources.RabbitMq, bus =>
            bus.ReceiveEndpoint(PeerBus.QueueName("moderation"), e => e.Handler<MessagePosted>(posted.Add)));

        await _gateway.SayInGroupAsync(-1001000000303, 4303, "/ban@other_bot 1 spam");
        await _gateway.SayInGroupAsync(-1001000000303, 4303, "/ban@Atlas_Test_Bot 2 spam");
        await _gateway.SayInGroupAsync(-1001000000303, 4303, "/ban 3 spam");

        var items = await Eventually.PollAsync(() => Task.FromResult(posted.Items), i => i.Count >= 3, TimeSpan.FromSeconds(30));
        items.Select(i => (i.Message.Text, i.Message.ForAnotherBot)).Should().BeEquivalentTo(
            [("/ban@other_bot 1 spam", true), ("/ban@Atlas_Test_Bot 2 spam", false), ("/ban 3 spam", false)]);
    }

    [Fact]
    public async Task While_telegram_cannot_say_who_the_bot_is_an_addressed_command_counts_as_this_bots()
    {
        // A gateway that has not yet heard its own name (the readiness check tells the running one) while getMe fails.
        var identity = ActivatorUtilities.CreateInstance<BotIdentity>(_gateway.Services);
        await _gateway.Sandbox.Telegram.AddFaultAsync(_gateway.Token, new SandboxFault("getMe", 500, Count: 100));

        (await identity.IsAnotherBotAsync("other_bot", CancellationToken.None)).Should().BeFalse(
            "without its own name the gateway cannot tell, and Moderation then decides as before");
        identity.Remember("atlas_test_bot");
        (await identity.IsAnotherBotAsync("other_bot", CancellationToken.None)).Should().BeTrue();
        (await identity.IsAnotherBotAsync("ATLAS_test_bot", CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task An_edited_group_message_is_published_again_for_moderation()
    {
        var posted = new Received<MessagePosted>();
        await using var peer = await PeerBus.StartAsync(_gateway.Resources.RabbitMq, bus =>
            bus.ReceiveEndpoint(PeerBus.QueueName("moderation"), e => e.Handler<MessagePosted>(posted.Add)));
        var sent = await _gateway.SayInGroupAsync(-1001000000302, 4302, "hello all");
        var original = sent.Update["message"]!.DeepClone().AsObject();
        original["text"] = "now with a spam link";
        original["edit_date"] = original["date"]!.GetValue<long>() + 5;

        var edit = await _gateway.Telegram.InjectUpdateAsync(_gateway.Token, new JsonObject { ["edited_message"] = original });

        var items = await Eventually.PollAsync(() => Task.FromResult(posted.Items), i => i.Count >= 2, TimeSpan.FromSeconds(30));
        var editId = edit["update_id"]!.GetValue<long>();
        items.Should().Contain(i => i.Message.UpdateId == editId && i.Message.Text == "now with a spam link"
            && i.MessageId == UpdateMessageIds.For(editId, GroupMessageHandler.Purpose));
    }

    [Fact]
    public async Task Groups_lists_the_groups_the_user_shares_with_the_bot_and_follows_joins_and_leaves()
    {
        var botId = TelegramBotToken.BotIdOf(_gateway.Token);
        await _gateway.SayInGroupAsync(-1001000000303, 4303, "hi", title: "Team room");
        await _gateway.Telegram.AddMemberAsync(_gateway.Token, new SandboxMemberEvent(-1001000000304, 4303, "joined", "supergroup", "Ops"));
        await _gateway.Telegram.AddMemberAsync(_gateway.Token, new SandboxMemberEvent(-1001000000305, 4303, "joined", "supergroup", "Old club"));
        await _gateway.Telegram.AddMemberAsync(_gateway.Token, new SandboxMemberEvent(-1001000000305, botId, "left", "supergroup", "Old club"));
        await _gateway.Telegram.AddMemberAsync(_gateway.Token, new SandboxMemberEvent(-1001000000306, 4303, "joined", "supergroup", "Gone"));
        await _gateway.Telegram.AddMemberAsync(_gateway.Token, new SandboxMemberEvent(-1001000000306, 4303, "left", "supergroup", "Gone"));
        await Eventually.PollAsync(
            () => Task.FromResult(_gateway.Metrics.Succeeded("group_message") + _gateway.Metrics.Succeeded("chat_member") + _gateway.Metrics.Succeeded("my_chat_member")),
            handled => handled >= 11, TimeSpan.FromSeconds(30));

        await _gateway.SayAsync(4303, "/groups", "en");

        (await _gateway.WaitForReplyAsync(4303, _ => true)).Should().Be(BotTexts.Get(TextKeys.GroupsHeader, English) + "\n• Ops\n• Team room");
    }

    [Fact]
    public async Task A_batch_of_group_messages_records_every_membership_in_one_go_with_the_single_message_rules()
    {
        var store = _gateway.Services.GetRequiredService<MembershipStore>();
        var room = new Chat { Id = -1001000000310, Type = "supergroup", Title = "Batch room" };
        var other = new Chat { Id = -1001000000311, Type = "group", Title = "Other" };
        User Person(long id) => new() { Id = id, FirstName = $"P{id}", Username = $"p{id}", LanguageCode = "en" };
        // Before: 4311 is an administrator (a message must not demote), 4312 has left (a message brings them back).
        await store.RecordMembershipAsync(room, Person(4311), "administrator", CancellationToken.None);
        await store.RecordMembershipAsync(room, Person(4312), "left", CancellationToken.None);

        // The same chat and the same user more than once in one batch, as a busy group produces.
        await store.RecordGroupMessagesAsync(
            [(room, Person(4311)), (room, Person(4312)), (room, Person(4313)), (room, Person(4313)), (other, Person(4313))], CancellationToken.None);

        await using var connection = new NpgsqlConnection(_gateway.Resources.Database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT chat_id, user_id, status FROM group_memberships WHERE user_id BETWEEN 4311 AND 4313 ORDER BY chat_id, user_id", connection);
        var rows = new List<(long, long, string)>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        rows.Should().Equal(
            (other.Id, 4313L, "member"), (room.Id, 4311L, "administrator"), (room.Id, 4312L, "member"), (room.Id, 4313L, "member"));
        await using var titles = new NpgsqlCommand("SELECT count(*) FROM chats WHERE chat_id IN (-1001000000310, -1001000000311) AND bot_member", connection);
        ((long)(await titles.ExecuteScalarAsync())!).Should().Be(2);
    }

    [Fact]
    public async Task A_batch_that_changes_nothing_does_not_wait_for_rows_another_transaction_holds_and_a_change_is_still_written()
    {
        var store = _gateway.Services.GetRequiredService<MembershipStore>();
        var room = new Chat { Id = -1001000000320, Type = "supergroup", Title = "Busy room" };
        var poster = new User { Id = 4321, FirstName = "Pia", Username = "pia", LanguageCode = "en" };
        await store.RecordGroupMessagesAsync([(room, poster)], CancellationToken.None);

        // Another batch of the same busy chat is mid-transaction and holds its chat, user and membership rows.
        await using var holder = new NpgsqlConnection(_gateway.Resources.Database);
        await holder.OpenAsync();
        await using (var holding = await holder.BeginTransactionAsync())
        {
            await using (var lockRows = new NpgsqlCommand(
                """
                SELECT 1 FROM chats WHERE chat_id = -1001000000320 FOR UPDATE;
                SELECT 1 FROM users WHERE user_id = 4321 FOR UPDATE;
                SELECT 1 FROM group_memberships WHERE chat_id = -1001000000320 AND user_id = 4321 FOR UPDATE;
                """, holder, holding))
            {
                await lockRows.ExecuteNonQueryAsync();
            }

            // Seen again a moment later with nothing changed: nothing to write, so nothing to wait for (before, the
            // upserts locked the held rows and the batch failed on its 200 ms lock timeout).
            await store.RecordGroupMessagesAsync([(room, poster), (room, poster)], CancellationToken.None);

            // A renamed chat must be written, so it waits for the holder and gives up after the lock timeout.
            var renamed = () => store.RecordGroupMessagesAsync([(room with { Title = "Renamed room" }, poster)], CancellationToken.None);
            await renamed.Should().ThrowAsync<PostgresException>().Where(e => e.SqlState == PostgresErrorCodes.LockNotAvailable);
        }

        await store.RecordGroupMessagesAsync([(room with { Title = "Renamed room" }, poster with { Username = "pia2" })], CancellationToken.None);
        await using var check = new NpgsqlCommand(
            "SELECT c.title || '/' || u.username FROM chats c, users u WHERE c.chat_id = -1001000000320 AND u.user_id = 4321", holder);
        (await check.ExecuteScalarAsync()).Should().Be("Renamed room/pia2");
    }

    [Fact]
    public async Task Groups_says_so_when_the_user_shares_no_group()
    {
        await _gateway.SayAsync(4304, "/groups", "ru");

        (await _gateway.WaitForReplyAsync(4304, _ => true)).Should().Be(BotTexts.Get(TextKeys.GroupsNone, Russian));
    }

    [Fact]
    public async Task An_update_kind_the_gateway_does_not_handle_is_counted_and_the_next_one_still_handled()
    {
        // allowed_updates keeps these kinds away from polling; the handler must still cope with whatever it is given.
        await _gateway.HandleDirectlyAsync(new JsonObject
        {
            ["update_id"] = 1,
            ["message_reaction"] = new JsonObject
            {
                ["chat"] = new JsonObject { ["id"] = 4305, ["type"] = "private" },
                ["message_id"] = 1,
                ["date"] = 1_700_000_000,
                ["old_reaction"] = new JsonArray(),
                ["new_reaction"] = new JsonArray(),
            },
        });
        await _gateway.HandleDirectlyAsync(new JsonObject
        {
            ["update_id"] = 2,
            ["channel_post"] = new JsonObject
            {
                ["message_id"] = 2,
                ["date"] = 1_700_000_000,
                ["chat"] = new JsonObject { ["id"] = -1001000000399, ["type"] = "channel", ["title"] = "News" },
                ["text"] = "news",
            },
        });
        await _gateway.SayAsync(4305, "/help", "en");

        (await _gateway.WaitForRepliesAsync(4305, 1)).Should().ContainSingle();
        _gateway.Metrics.Dropped("unsupported").Should().Be(2);
    }
}
