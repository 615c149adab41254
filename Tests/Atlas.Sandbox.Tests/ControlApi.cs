using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>The control API under /sandbox/telegram: bots, injected updates, actions, chats, memberships.</summary>
public sealed class ControlApi(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Creates_a_bot_with_a_generated_token_of_Telegrams_shape()
    {
        var bot = await sandbox.Telegram.CreateBotAsync(username: "atlas_test_bot", firstName: "Atlas");

        bot.Token.Should().MatchRegex("^[0-9]{10}:[A-Za-z0-9_-]{35}$");
        bot.Id.Should().Be(TelegramBotToken.BotIdOf(bot.Token));
        bot.Username.Should().Be("atlas_test_bot");
        bot.FirstName.Should().Be("Atlas");
    }

    [Fact]
    public async Task Creates_a_bot_with_a_given_token_once()
    {
        var token = TelegramBotToken.Create(123456789);

        var bot = await sandbox.Telegram.CreateBotAsync(token);
        var again = () => sandbox.Telegram.CreateBotAsync(token);

        bot.Id.Should().Be(123456789);
        (await again.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Refuses_a_token_of_the_wrong_shape_with_problem_details()
    {
        using var http = new HttpClient { BaseAddress = sandbox.Host.BaseUrl };

        using var response = await http.PostAsJsonAsync("sandbox/telegram/bots", new { token = "short" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_user_message_without_a_chat_type_takes_the_known_chats_kind_or_the_kind_its_id_implies_and_a_private_chat_is_the_users_own()
    {
        var bot = await sandbox.NewBotAsync();
        using var http = new HttpClient { BaseAddress = sandbox.Host.BaseUrl };
        var messages = $"sandbox/telegram/bots/{bot.Token}/messages";
        (await http.PutAsJsonAsync($"sandbox/telegram/bots/{bot.Token}/chats/-100778", new { type = "supergroup", title = "Known" })).EnsureSuccessStatusCode();

        async Task<string?> ChatTypeOfAsync(object body)
        {
            using var response = await http.PostAsJsonAsync(messages, body);
            response.StatusCode.Should().Be(HttpStatusCode.Created);
            var chat = (await response.Content.ReadFromJsonAsync<JsonObject>())!["update"]!["message"]!["chat"]!;
            if (chat["id"]!.GetValue<long>() == -100778)
            {
                chat["title"]!.GetValue<string>().Should().Be("Known", "the known chat keeps its title");
            }

            return chat["type"]!.GetValue<string>();
        }

        (await ChatTypeOfAsync(new { userId = 5, chatId = -100778, text = "hi" })).Should().Be("supergroup");
        using (var joined = await http.PostAsJsonAsync($"sandbox/telegram/bots/{bot.Token}/members", new { chatId = -100778, userId = 6, @event = "joined" }))
        {
            var chat = (await joined.Content.ReadFromJsonAsync<JsonObject>())!["update"]!["message"]!["chat"]!;
            (chat["type"]!.GetValue<string>(), chat["title"]!.GetValue<string>()).Should().Be(("supergroup", "Known"), "a join keeps the known chat too");
        }

        (await ChatTypeOfAsync(new { userId = 5, chatId = -100779, text = "hi" })).Should().Be("group");
        (await ChatTypeOfAsync(new { userId = 5, chatId = -1_001_234_567_890, text = "hi" })).Should().Be("supergroup");
        (await ChatTypeOfAsync(new { userId = 5, text = "hi" })).Should().Be("private");
        foreach (var wrong in new object[] { new { userId = 5, chatId = 6, text = "hi" }, new { userId = 5, chatId = -100778, chatType = "private", text = "hi" } })
        {
            using var refused = await http.PostAsJsonAsync(messages, wrong);
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>().Should().StartWith("A private chat's id is its user's id (5)");
        }
    }

    [Fact]
    public async Task Forgets_a_deleted_bot()
    {
        var bot = await sandbox.NewBotAsync();

        await sandbox.Telegram.DeleteBotAsync(bot.Token);
        var response = await sandbox.CallAsync(bot, "getMe");
        var lookup = () => sandbox.Telegram.GetActionsAsync(bot.Token);

        response.StatusCode.Should().Be(401);
        (await lookup.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Knows_bots_from_configuration()
    {
        var token = TelegramBotToken.Create();
        await using var host = await SandboxHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:Telegram:Bots:0:Token"] = token,
            ["Sandbox:Telegram:Bots:0:Username"] = "atlas_gateway_bot",
        });

        var me = await host.Telegram.CallBotApiAsync(token, "getMe");

        me.Result!["username"]!.GetValue<string>().Should().Be("atlas_gateway_bot");
    }

    [Fact]
    public async Task Injects_a_raw_update_and_fills_in_what_is_missing()
    {
        var bot = await sandbox.NewBotAsync();
        var update = JsonNode.Parse("""{"message":{"from":{"id":1301,"is_bot":false,"first_name":"Eve"},"chat":{"id":1301,"type":"private"},"text":"raw","sticker_set_name":"odd"}}""")!.AsObject();

        var stored = await sandbox.Telegram.InjectUpdateAsync(bot.Token, update);
        var polled = await sandbox.CallAsync(bot, "getUpdates");

        stored["update_id"]!.GetValue<long>().Should().BeGreaterThan(0);
        stored["message"]!["message_id"]!.GetValue<long>().Should().Be(1);
        stored["message"]!["date"]!.GetValue<long>().Should().BeGreaterThan(0);
        stored["message"]!["sticker_set_name"]!.GetValue<string>().Should().Be("odd");
        JsonNode.DeepEquals(polled.Result![0], stored).Should().BeTrue();
    }

    [Fact]
    public async Task Gives_a_command_its_bot_command_entity()
    {
        var bot = await sandbox.NewBotAsync();

        var sent = await sandbox.Telegram.SendMessageAsync(bot.Token, new SandboxUserMessage { UserId = 1302, Text = "/start promo", LanguageCode = "de" });

        var entity = sent.Update["message"]!["entities"]![0]!;
        entity["type"]!.GetValue<string>().Should().Be("bot_command");
        entity["length"]!.GetValue<int>().Should().Be(6);
        sent.Update["message"]!["from"]!["language_code"]!.GetValue<string>().Should().Be("de");
        sent.Update["message"]!["chat"]!["id"]!.GetValue<long>().Should().Be(1302);
    }

    [Fact]
    public async Task Sends_a_callback_query_that_the_bot_may_answer_once()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(1303);
        var sent = await sandbox.CallAsync(bot, "sendMessage", new JsonObject
        {
            ["chat_id"] = 1303,
            ["text"] = "pick",
            ["reply_markup"] = new JsonObject { ["inline_keyboard"] = new JsonArray(new JsonArray(new JsonObject { ["text"] = "A", ["callback_data"] = "a" })) },
        });

        var query = await sandbox.Telegram.SendCallbackQueryAsync(bot.Token, new SandboxCallbackQuery(1303, 1303, sent.Result!["message_id"]!.GetValue<long>(), "a"));
        var first = await sandbox.CallAsync(bot, "answerCallbackQuery", new JsonObject { ["callback_query_id"] = query.CallbackQueryId, ["text"] = "Done" });
        var second = await sandbox.CallAsync(bot, "answerCallbackQuery", new JsonObject { ["callback_query_id"] = query.CallbackQueryId });

        query.Update["callback_query"]!["data"]!.GetValue<string>().Should().Be("a");
        query.Update["callback_query"]!["message"]!["text"]!.GetValue<string>().Should().Be("pick");
        first.Ok.Should().BeTrue();
        second.Description.Should().Be("Bad Request: query is too old and response timeout expired or query ID is invalid");
    }

    [Fact]
    public async Task Turns_a_join_into_a_service_message_and_a_chat_member_update()
    {
        var bot = await sandbox.NewBotAsync();

        var joined = await sandbox.Telegram.AddMemberAsync(bot.Token, new SandboxMemberEvent(-1304, 1304, "joined", FirstName: "Newcomer"));
        var member = await sandbox.CallAsync(bot, "getChatMember", new JsonObject { ["chat_id"] = -1304, ["user_id"] = 1304 });

        joined.Update["message"]!["new_chat_members"]![0]!["first_name"]!.GetValue<string>().Should().Be("Newcomer");
        joined.ChatMemberUpdate["chat_member"]!["new_chat_member"]!["status"]!.GetValue<string>().Should().Be("member");
        joined.ChatMemberUpdateId.Should().Be(joined.UpdateId + 1);
        member.Result!["status"]!.GetValue<string>().Should().Be("member");
    }

    [Fact]
    public async Task Lists_every_write_call_in_order_and_reads_only_on_request()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(1305);
        await sandbox.CallAsync(bot, "getMe");
        await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 1305, ["text"] = "one" });
        await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 1305 });
        await sandbox.CallAsync(bot, "sendChatAction", new JsonObject { ["chat_id"] = 1305, ["action"] = "typing" });

        var writes = await sandbox.Telegram.GetActionsAsync(bot.Token);
        var all = await sandbox.Telegram.GetActionsAsync(bot.Token, includeReads: true);
        var later = await sandbox.Telegram.GetActionsAsync(bot.Token, after: writes[0].Seq, method: "sendChatAction");

        writes.Select(a => (a.Method, a.Ok)).Should().Equal(("sendMessage", true), ("sendMessage", false), ("sendChatAction", true));
        writes[0].Parameters["text"]!.GetValue<string>().Should().Be("one");
        writes[0].Result!["text"]!.GetValue<string>().Should().Be("one");
        writes[1].ErrorCode.Should().Be(400);
        all.Select(a => a.Method).Should().StartWith("getMe");
        later.Should().ContainSingle().Which.Method.Should().Be("sendChatAction");
    }

    [Fact]
    public async Task Waits_for_actions_with_a_bound()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(1306);
        var waiting = sandbox.Telegram.WaitForActionsAsync(bot.Token, "sendMessage", 1, timeout: TimeSpan.FromSeconds(10));

        await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 1306, ["text"] = "eventually" });
        var actions = await waiting;

        actions.Should().ContainSingle();
    }

    [Fact]
    public async Task Shows_the_chat_history_with_user_and_bot_messages()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.Telegram.SendMessageAsync(bot.Token, new SandboxUserMessage { UserId = 1307, Text = "hi bot", FirstName = "Ann" });
        await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 1307, ["text"] = "hi Ann" });

        var history = await sandbox.Telegram.GetChatMessagesAsync(bot.Token, 1307);

        history.Select(m => (m.Text, m.FromBot)).Should().Equal(("hi bot", false), ("hi Ann", true));
    }

    [Fact]
    public async Task Answers_an_unknown_bot_with_404_problem_details()
    {
        using var http = new HttpClient { BaseAddress = sandbox.Host.BaseUrl };

        using var response = await http.GetAsync(new Uri($"sandbox/telegram/bots/{TelegramBotToken.Create()}/webhook", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
