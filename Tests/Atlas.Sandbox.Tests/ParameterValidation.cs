using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Tests;

/// <summary>Every call is checked against the spec's parameter table: required, and of the right type.</summary>
public sealed class ParameterValidation(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Rejects_a_missing_required_parameter_with_400()
    {
        var bot = await sandbox.NewBotAsync();

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["text"] = "hi" });

        response.StatusCode.Should().Be(400);
        response.Description.Should().Be("Bad Request: chat_id is empty");
    }

    [Fact]
    public async Task Rejects_a_missing_text_as_message_text_is_empty()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(601);

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 601 });

        response.Description.Should().Be("Bad Request: message text is empty");
    }

    [Fact]
    public async Task Rejects_an_Integer_parameter_that_is_not_a_number()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(602);

        var response = await sandbox.CallAsync(bot, "deleteMessage", new JsonObject { ["chat_id"] = 602, ["message_id"] = "first" });

        response.StatusCode.Should().Be(400);
        response.Description.Should().Be("Bad Request: parameter \"message_id\" must be of type Integer");
    }

    [Fact]
    public async Task Accepts_numbers_given_as_strings_as_Telegram_does()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(603);

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = "603", ["text"] = "hi" });

        response.Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Rejects_a_Boolean_parameter_that_is_not_a_boolean()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(604);

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 604, ["text"] = "hi", ["disable_notification"] = "maybe" });

        response.Description.Should().Be("Bad Request: parameter \"disable_notification\" must be of type Boolean");
    }

    [Fact]
    public async Task Rejects_an_object_parameter_missing_a_required_field()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(605);

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject
        {
            ["chat_id"] = 605,
            ["text"] = "hi",
            ["reply_markup"] = new JsonObject { ["inline_keyboard"] = new JsonArray(new JsonArray(new JsonObject { ["callback_data"] = "x" })) },
        });

        response.StatusCode.Should().Be(400);
        response.Description.Should().Be("Bad Request: can't parse reply_markup: Can't find field \"text\"");
    }

    [Fact]
    public async Task Rejects_an_array_parameter_given_as_something_else()
    {
        var bot = await sandbox.NewBotAsync();

        var response = await sandbox.CallAsync(bot, "setMyCommands", new JsonObject { ["commands"] = "start" });

        response.StatusCode.Should().Be(400);
        response.Description.Should().StartWith("Bad Request: can't parse commands");
    }

    [Fact]
    public async Task Checks_the_kind_of_a_union_member()
    {
        var bot = await sandbox.NewBotAsync();
        var commands = new JsonArray(new JsonObject { ["command"] = "start", ["description"] = "Start" });

        var wrong = await sandbox.CallAsync(bot, "setMyCommands", new JsonObject { ["commands"] = commands.DeepClone(), ["scope"] = new JsonObject { ["type"] = "everyone" } });
        var right = await sandbox.CallAsync(bot, "setMyCommands", new JsonObject { ["commands"] = commands.DeepClone(), ["scope"] = new JsonObject { ["type"] = "all_private_chats" } });

        wrong.StatusCode.Should().Be(400);
        right.Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Accepts_chat_id_as_a_channel_username()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.Telegram.PutChatAsync(bot.Token, -1001234567890, "supergroup", "Atlas", "atlas_group");

        var response = await sandbox.CallAsync(bot, "getChatAdministrators", new JsonObject { ["chat_id"] = "@atlas_group" });

        response.Ok.Should().BeTrue();
    }
}
