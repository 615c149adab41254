using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>sendMessage, editMessageText, deleteMessage and sendChatAction in the chats a bot knows.</summary>
public sealed class Messages(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Answers_chat_not_found_for_a_chat_the_bot_never_saw()
    {
        var bot = await sandbox.NewBotAsync();

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 901, ["text"] = "hi" });

        response.StatusCode.Should().Be(400);
        response.Description.Should().Be("Bad Request: chat not found");
    }

    [Fact]
    public async Task Returns_the_sent_message_numbered_in_its_chat_with_markup_and_reply()
    {
        var bot = await sandbox.NewBotAsync();
        var fromUser = await sandbox.Telegram.SendMessageAsync(bot.Token, 902, "question");
        var markup = new JsonObject { ["inline_keyboard"] = new JsonArray(new JsonArray(new JsonObject { ["text"] = "OK", ["callback_data"] = "ok" })) };

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject
        {
            ["chat_id"] = 902,
            ["text"] = "answer",
            ["reply_markup"] = markup.DeepClone(),
            ["reply_parameters"] = new JsonObject { ["message_id"] = fromUser.MessageId },
        });

        var message = response.Result!;
        message["message_id"]!.GetValue<long>().Should().Be(fromUser.MessageId + 1);
        message["from"]!["id"]!.GetValue<long>().Should().Be(bot.Id);
        message["chat"]!["type"]!.GetValue<string>().Should().Be("private");
        message["date"]!.GetValue<long>().Should().BeGreaterThan(0);
        JsonNode.DeepEquals(message["reply_markup"], markup).Should().BeTrue();
        message["reply_to_message"]!["text"]!.GetValue<string>().Should().Be("question");
    }

    [Fact]
    public async Task Refuses_to_reply_to_a_message_that_is_not_there()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(903);

        var refused = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 903, ["text"] = "x", ["reply_parameters"] = new JsonObject { ["message_id"] = 999 } });
        var allowed = await sandbox.CallAsync(bot, "sendMessage", new JsonObject
        {
            ["chat_id"] = 903,
            ["text"] = "x",
            ["reply_parameters"] = new JsonObject { ["message_id"] = 999, ["allow_sending_without_reply"] = true },
        });

        refused.Description.Should().Be("Bad Request: message to be replied not found");
        allowed.Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Rejects_text_over_4096_characters_and_empty_text()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(904);

        var tooLong = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 904, ["text"] = new string('a', 4097) });
        var longest = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 904, ["text"] = new string('a', 4096) });
        var blank = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 904, ["text"] = "   " });

        tooLong.Description.Should().Be("Bad Request: message is too long");
        longest.Ok.Should().BeTrue();
        blank.Description.Should().Be("Bad Request: message text is empty");
    }

    [Fact]
    public async Task Rejects_an_unknown_parse_mode()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(905);

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 905, ["text"] = "x", ["parse_mode"] = "Textile" });

        response.Description.Should().Be("Bad Request: unsupported parse_mode");
    }

    [Fact]
    public async Task Answers_403_when_the_user_blocked_the_bot()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(906);
        await sandbox.Telegram.SetBlockedAsync(bot.Token, 906);

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 906, ["text"] = "still there?" });

        response.StatusCode.Should().Be(403);
        response.Description.Should().Be("Forbidden: bot was blocked by the user");
    }

    [Fact]
    public async Task Answers_403_in_a_group_the_bot_was_removed_from()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.Telegram.SendMessageAsync(bot.Token, new SandboxUserMessage { ChatId = -9070, ChatType = "group", UserId = 907, Text = "hi all" });
        await sandbox.Telegram.SetMemberStatusAsync(bot.Token, -9070, bot.Id, "kicked");

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = -9070, ["text"] = "hello?" });

        response.StatusCode.Should().Be(403);
        response.Description.Should().Be("Forbidden: bot was kicked from the group chat");
    }

    [Fact]
    public async Task Edits_its_own_message_and_shows_it_in_the_chat_history()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(908);
        var sent = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 908, ["text"] = "draft" });
        var messageId = sent.Result!["message_id"]!.GetValue<long>();

        var edited = await sandbox.CallAsync(bot, "editMessageText", new JsonObject { ["chat_id"] = 908, ["message_id"] = messageId, ["text"] = "final" });
        var history = await sandbox.Telegram.GetChatMessagesAsync(bot.Token, 908);

        edited.Ok.Should().BeTrue(edited.Envelope.ToJsonString() + sent.Envelope.ToJsonString());
        edited.Result!["text"]!.GetValue<string>().Should().Be("final");
        edited.Result!["edit_date"].Should().NotBeNull();
        history.Should().ContainSingle(m => m.MessageId == messageId).Which.Should().Match<SandboxChatMessage>(m => m.Edited && m.Text == "final" && m.FromBot);
    }

    [Fact]
    public async Task Answers_message_is_not_modified_for_an_edit_that_changes_nothing()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(909);
        var sent = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 909, ["text"] = "same" });

        var response = await sandbox.CallAsync(bot, "editMessageText", new JsonObject { ["chat_id"] = 909, ["message_id"] = sent.Result!["message_id"]!.DeepClone(), ["text"] = "same" });

        response.Description.Should().StartWith("Bad Request: message is not modified: ");
    }

    [Fact]
    public async Task Answers_message_to_edit_not_found_and_cannot_edit_a_users_message()
    {
        var bot = await sandbox.NewBotAsync();
        var fromUser = await sandbox.Telegram.SendMessageAsync(bot.Token, 910, "mine");

        var missing = await sandbox.CallAsync(bot, "editMessageText", new JsonObject { ["chat_id"] = 910, ["message_id"] = 999, ["text"] = "x" });
        var notOwn = await sandbox.CallAsync(bot, "editMessageText", new JsonObject { ["chat_id"] = 910, ["message_id"] = fromUser.MessageId, ["text"] = "x" });

        missing.Description.Should().Be("Bad Request: message to edit not found");
        notOwn.Description.Should().Be("Bad Request: message can't be edited");
    }

    [Fact]
    public async Task Deletes_a_message_once()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(911);
        var sent = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 911, ["text"] = "oops" });
        var messageId = sent.Result!["message_id"]!.GetValue<long>();

        var first = await sandbox.CallAsync(bot, "deleteMessage", new JsonObject { ["chat_id"] = 911, ["message_id"] = messageId });
        var second = await sandbox.CallAsync(bot, "deleteMessage", new JsonObject { ["chat_id"] = 911, ["message_id"] = messageId });
        var history = await sandbox.Telegram.GetChatMessagesAsync(bot.Token, 911);

        first.Envelope.ToJsonString().Should().Be("""{"ok":true,"result":true}""");
        second.Description.Should().Be("Bad Request: message to delete not found");
        history.Single(m => m.MessageId == messageId).Deleted.Should().BeTrue();
    }

    [Fact]
    public async Task Deletes_a_users_group_message_only_as_an_administrator()
    {
        var bot = await sandbox.NewBotAsync();
        var posted = await sandbox.Telegram.SendMessageAsync(bot.Token, new SandboxUserMessage { ChatId = -9120, ChatType = "group", UserId = 912, Text = "spam" });
        var parameters = new JsonObject { ["chat_id"] = -9120, ["message_id"] = posted.MessageId };

        var asMember = await sandbox.CallAsync(bot, "deleteMessage", parameters.DeepClone().AsObject());
        await sandbox.Telegram.SetMemberStatusAsync(bot.Token, -9120, bot.Id, "administrator");
        var asAdmin = await sandbox.CallAsync(bot, "deleteMessage", parameters.DeepClone().AsObject());

        asMember.Description.Should().Be("Bad Request: message can't be deleted");
        asAdmin.Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Accepts_known_chat_actions_only()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(913);

        var typing = await sandbox.CallAsync(bot, "sendChatAction", new JsonObject { ["chat_id"] = 913, ["action"] = "typing" });
        var dancing = await sandbox.CallAsync(bot, "sendChatAction", new JsonObject { ["chat_id"] = 913, ["action"] = "dancing" });

        typing.Ok.Should().BeTrue();
        dancing.Description.Should().Be("Bad Request: wrong parameter action in request");
    }
}
