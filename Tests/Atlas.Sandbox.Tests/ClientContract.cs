using Atlas.Testing.Sandbox;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;
using TelegramChatMember = Telegram.Bot.Types.ChatMember;

namespace Atlas.Sandbox.Tests;

/// <summary>
/// Telegram.Bot 22.10.3.3, a client nobody here wrote, drives the Sandbox through every Bot API method the project
/// uses. Where the two disagree, the spec decides which one is wrong.
/// </summary>
public sealed class ClientContract(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IDisposable
{
    private const long Group = -1_001_555_000_001;
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task getMe_reads_the_bot()
    {
        var (bot, client) = await NewClientAsync();

        var me = await client.GetMe();

        me.Id.Should().Be(bot.Id);
        me.IsBot.Should().BeTrue();
        me.Username.Should().Be(bot.Username);
    }

    [Fact]
    public async Task getUpdates_reads_update_ids_that_fit_32_bits_and_confirms_by_offset()
    {
        var (bot, client) = await NewClientAsync();
        var first = await sandbox.Telegram.SendMessageAsync(bot.Token, 7001, "one");
        var second = await sandbox.Telegram.SendMessageAsync(bot.Token, 7001, "two");

        var updates = await client.GetUpdates(timeout: 0, allowedUpdates: [UpdateType.Message, UpdateType.CallbackQuery]);
        var rest = await client.GetUpdates(offset: updates[0].Id + 1, timeout: 0);

        first.UpdateId.Should().BeInRange(1, int.MaxValue);
        updates.Select(u => (long)u.Id).Should().Equal(first.UpdateId, second.UpdateId);
        updates[0].Message!.Text.Should().Be("one");
        updates[0].Message!.Chat.Type.Should().Be(ChatType.Private);
        rest.Select(u => (long)u.Id).Should().Equal(second.UpdateId);
    }

    [Fact]
    public async Task setWebhook_getWebhookInfo_and_deleteWebhook_round_trip()
    {
        var (_, client) = await NewClientAsync();

        await client.SetWebhook(
            "https://gateway.example/telegram/webhook", secretToken: "s3cret_token", maxConnections: 7,
            allowedUpdates: [UpdateType.Message], dropPendingUpdates: true);
        var set = await client.GetWebhookInfo();
        await client.DeleteWebhook(dropPendingUpdates: false);
        var deleted = await client.GetWebhookInfo();

        set.Url.Should().Be("https://gateway.example/telegram/webhook");
        set.MaxConnections.Should().Be(7);
        set.AllowedUpdates.Should().Equal(UpdateType.Message);
        deleted.Url.Should().BeEmpty();
    }

    [Fact]
    public async Task sendMessage_with_HTML_a_reply_and_an_inline_keyboard_reads_back_as_a_message()
    {
        var (bot, client) = await NewClientAsync();
        var question = await sandbox.Telegram.SendMessageAsync(bot.Token, 7002, "question");

        var sent = await client.SendMessage(
            7002, "<b>bold</b> answer", ParseMode.Html, replyParameters: (int)question.MessageId,
            replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("More", "more")));

        sent.Text.Should().Be("bold answer");
        sent.Entities.Should().ContainSingle().Which.Type.Should().Be(MessageEntityType.Bold);
        sent.ReplyToMessage!.MessageId.Should().Be((int)question.MessageId);
        sent.ReplyMarkup!.InlineKeyboard.Single().Single().CallbackData.Should().Be("more");
        sent.From!.Id.Should().Be(bot.Id);
    }

    [Fact]
    public async Task editMessageText_and_deleteMessage_are_not_held_back_by_the_send_rate()
    {
        var bot = await sandbox.Telegram.CreateBotAsync();
        await sandbox.Telegram.SetLimitsAsync(bot.Token, new SandboxLimits(1, 3, 20, 30));
        var client = ClientFor(bot);
        await sandbox.Telegram.SendMessageAsync(bot.Token, 7003, "hi");
        var sent = new List<Message>();
        for (var i = 0; i < 3; i++)
        {
            sent.Add(await client.SendMessage(7003, $"message {i}"));
        }

        var refused = await FluentActions.Awaiting(() => client.SendMessage(7003, "one too many")).Should().ThrowAsync<ApiRequestException>();
        var edited = await client.EditMessageText(7003, sent[0].MessageId, "edited");
        await client.DeleteMessage(7003, sent[1].MessageId);
        await client.DeleteMessage(7003, sent[2].MessageId);

        refused.Which.ErrorCode.Should().Be(429);
        refused.Which.Parameters!.RetryAfter.Should().BeGreaterThanOrEqualTo(1);
        edited.Text.Should().Be("edited");
        edited.EditDate.Should().NotBeNull();
        var history = await sandbox.Telegram.GetChatMessagesAsync(bot.Token, 7003);
        history.Where(m => m.Deleted).Select(m => m.MessageId).Should().BeEquivalentTo([(long)sent[1].MessageId, sent[2].MessageId]);
    }

    [Fact]
    public async Task answerCallbackQuery_answers_a_button_press()
    {
        var (bot, client) = await NewClientAsync();
        await sandbox.Telegram.SendMessageAsync(bot.Token, 7004, "hi");
        var menu = await client.SendMessage(7004, "menu", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Go", "go")));
        var press = await sandbox.Telegram.SendCallbackQueryAsync(bot.Token, new SandboxCallbackQuery(7004, 7004, menu.MessageId, "go"));

        var updates = await client.GetUpdates(timeout: 0, allowedUpdates: [UpdateType.CallbackQuery]);
        await client.AnswerCallbackQuery(press.CallbackQueryId, "done", showAlert: true);

        updates.Last().CallbackQuery!.Data.Should().Be("go");
        var answers = await sandbox.Telegram.GetActionsAsync(bot.Token, method: "answerCallbackQuery");
        answers.Should().ContainSingle().Which.Ok.Should().BeTrue();
    }

    [Fact]
    public async Task sendChatAction_shows_typing()
    {
        var (bot, client) = await NewClientAsync();
        await sandbox.Telegram.SendMessageAsync(bot.Token, 7005, "hi");

        await client.SendChatAction(7005, ChatAction.Typing);

        var actions = await sandbox.Telegram.GetActionsAsync(bot.Token, method: "sendChatAction");
        actions.Should().ContainSingle().Which.Parameters["action"]!.GetValue<string>().Should().Be("typing");
    }

    [Fact]
    public async Task Ban_unban_restrict_and_member_reads_work_for_an_administrator_bot()
    {
        var (bot, client) = await NewClientAsync();
        await sandbox.Telegram.SetMemberStatusAsync(bot.Token, Group, 7006, "creator", chatType: "supergroup");
        await sandbox.Telegram.SetMemberStatusAsync(bot.Token, Group, bot.Id, "administrator");
        await sandbox.Telegram.SetMemberStatusAsync(bot.Token, Group, 7007, "member");
        await sandbox.Telegram.SetMemberStatusAsync(bot.Token, Group, 7008, "member");
        var until = DateTime.UtcNow.AddHours(1);

        await client.RestrictChatMember(Group, 7007, new ChatPermissions { CanSendMessages = false }, useIndependentChatPermissions: true, untilDate: until);
        var restricted = await client.GetChatMember(Group, 7007);
        await client.BanChatMember(Group, 7008, until);
        var banned = await client.GetChatMember(Group, 7008);
        await client.UnbanChatMember(Group, 7008, onlyIfBanned: true);
        var unbanned = await client.GetChatMember(Group, 7008);
        var admins = await client.GetChatAdministrators(Group);

        restricted.Should().BeOfType<ChatMemberRestricted>().Which.CanSendMessages.Should().BeFalse();
        banned.Should().BeOfType<ChatMemberBanned>().Which.UntilDate.Should().BeCloseTo(until, TimeSpan.FromSeconds(1));
        unbanned.Status.Should().Be(ChatMemberStatus.Left);
        admins.Select(a => (a.Status, a.User.Id)).Should().Equal((ChatMemberStatus.Creator, 7006L), (ChatMemberStatus.Administrator, bot.Id));
        admins.Should().AllBeAssignableTo<TelegramChatMember>();
    }

    [Fact]
    public async Task setMyCommands_sets_the_menu_per_language()
    {
        var (bot, client) = await NewClientAsync();

        await client.SetMyCommands([new BotCommand("start", "Start"), new BotCommand("help", "Help")], languageCode: "en");
        var commands = await client.GetMyCommands(languageCode: "en");

        commands.Select(c => c.Command).Should().Equal("start", "help");
        (await sandbox.Telegram.GetActionsAsync(bot.Token, method: "setMyCommands")).Should().ContainSingle();
    }

    [Fact]
    public async Task getChat_reads_a_group_as_full_info()
    {
        var (bot, client) = await NewClientAsync();
        await sandbox.Telegram.PutChatAsync(bot.Token, Group, "supergroup", title: "Readers", username: "readers");

        var byId = await client.GetChat(Group);
        var byName = await client.GetChat("@readers");

        byId.Id.Should().Be(Group);
        byId.Type.Should().Be(ChatType.Supergroup);
        byId.Title.Should().Be("Readers");
        byId.AcceptedGiftTypes.Should().NotBeNull();
        byName.Id.Should().Be(Group);
    }

    [Fact]
    public async Task A_group_upgraded_to_a_supergroup_answers_with_migrate_to_chat_id_and_says_so_in_updates()
    {
        var (bot, client) = await NewClientAsync();
        await sandbox.Telegram.SendMessageAsync(bot.Token, new SandboxUserMessage { ChatId = -4_200_001, ChatType = "group", UserId = 7010, Text = "hi" });
        await client.GetUpdates(timeout: 0);
        var skipped = await client.GetUpdates(timeout: 0);

        var migration = await sandbox.Telegram.MigrateChatAsync(bot.Token, -4_200_001, 7010);
        var refused = await FluentActions.Awaiting(() => client.SendMessage(-4_200_001, "still there?")).Should().ThrowAsync<ApiRequestException>();
        var updates = await client.GetUpdates(offset: skipped[^1].Id + 1, timeout: 0);
        var sent = await client.SendMessage(migration.SupergroupId, "here now");

        refused.Which.ErrorCode.Should().Be(400);
        refused.Which.Parameters!.MigrateToChatId.Should().Be(migration.SupergroupId);
        updates.Select(u => u.Message!.Type).Should().Equal(MessageType.MigrateToChatId, MessageType.MigrateFromChatId);
        updates[0].Message!.MigrateToChatId.Should().Be(migration.SupergroupId);
        updates[1].Message!.MigrateFromChatId.Should().Be(-4_200_001);
        updates[1].Message!.Chat.Type.Should().Be(ChatType.Supergroup);
        sent.Chat.Id.Should().Be(migration.SupergroupId);
    }

    [Fact]
    public async Task Errors_arrive_as_ApiRequestException_with_Telegrams_code_and_description()
    {
        var (_, client) = await NewClientAsync();

        var unknownChat = await FluentActions.Awaiting(() => client.SendMessage(7999, "nobody")).Should().ThrowAsync<ApiRequestException>();

        unknownChat.Which.ErrorCode.Should().Be(400);
        unknownChat.Which.Message.Should().Be("Bad Request: chat not found");
    }

    private async Task<(SandboxBot Bot, TelegramBotClient Client)> NewClientAsync()
    {
        var bot = await sandbox.NewBotAsync();
        return (bot, ClientFor(bot));
    }

    /// <summary>Telegram.Bot pointed at the Sandbox, with its own 429 retry off so every answer is seen as given.</summary>
    private TelegramBotClient ClientFor(SandboxBot bot) =>
        new(new TelegramBotClientOptions(bot.Token, sandbox.Host.BaseUrl.ToString().TrimEnd('/')) { RetryThreshold = 0, RetryCount = 0 }, _http);
}
