using Atlas.Gateway.Locales;
using Atlas.Gateway.Tests.Support;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>/start, /help, unknown commands and the greeting's button, end to end through the Sandbox, in English and Russian.</summary>
public sealed class StartAndHelpCommands : IAsyncLifetime
{
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync("handling-start");

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Start_greets_by_name_in_English_with_a_help_button()
    {
        await _gateway.SayAsync(4101, "/start", "en", "Ann");

        var reply = await _gateway.WaitForReplyAsync(4101, _ => true);

        reply.Should().Be(BotTexts.Format(TextKeys.Welcome, English, "Ann"));
        var send = (await _gateway.Telegram.GetActionsAsync(_gateway.Token, method: "sendMessage")).Single(a => a.Ok);
        send.Parameters["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>().Should().Be("help");
    }

    [Fact]
    public async Task Start_greets_in_Russian_for_a_ru_language_code()
    {
        await _gateway.SayAsync(4102, "/start", "ru-RU", "Иван");

        var reply = await _gateway.WaitForReplyAsync(4102, _ => true);

        reply.Should().Be(BotTexts.Format(TextKeys.Welcome, Russian, "Иван")).And.Contain("Привет");
    }

    [Fact]
    public async Task Help_lists_the_commands_in_English_and_in_Russian()
    {
        await _gateway.SayAsync(4103, "/help", "en");
        await _gateway.SayAsync(4104, "/help", "ru");

        (await _gateway.WaitForReplyAsync(4103, _ => true)).Should().Be(BotTexts.Get(TextKeys.Help, English)).And.Contain("/search");
        (await _gateway.WaitForReplyAsync(4104, _ => true)).Should().Be(BotTexts.Get(TextKeys.Help, Russian)).And.Contain("/tasks");
        _gateway.Metrics.Succeeded("help").Should().Be(2);
    }

    [Fact]
    public async Task An_unknown_language_falls_back_to_English()
    {
        await _gateway.SayAsync(4105, "/help", "de");

        (await _gateway.WaitForReplyAsync(4105, _ => true)).Should().Be(BotTexts.Get(TextKeys.Help, English));
    }

    [Fact]
    public async Task An_unknown_command_gets_a_polite_hint_to_help_in_either_language()
    {
        await _gateway.SayAsync(4106, "/frobnicate now", "en");
        await _gateway.SayAsync(4107, "/frobnicate", "ru");

        (await _gateway.WaitForReplyAsync(4106, _ => true)).Should().Be(BotTexts.Format(TextKeys.UnknownCommand, English, "frobnicate")).And.Contain("/help");
        (await _gateway.WaitForReplyAsync(4107, _ => true)).Should().Be(BotTexts.Format(TextKeys.UnknownCommand, Russian, "frobnicate"));
    }

    [Fact]
    public async Task Pressing_the_help_button_answers_the_callback_and_sends_help()
    {
        var start = await _gateway.SayAsync(4108, "/start", "ru");
        await _gateway.WaitForRepliesAsync(4108, 1);

        var press = await _gateway.Telegram.SendCallbackQueryAsync(
            _gateway.Token, new Atlas.Testing.Sandbox.SandboxCallbackQuery(4108, 4108, start.MessageId, "help", LanguageCode: "ru"));

        var answers = await _gateway.Telegram.WaitForActionsAsync(_gateway.Token, "answerCallbackQuery", 1);
        answers.Single().Parameters["callback_query_id"]!.GetValue<string>().Should().Be(press.CallbackQueryId);
        (await _gateway.WaitForRepliesAsync(4108, 2))[1].Should().Be(BotTexts.Get(TextKeys.Help, Russian));
    }

    [Fact]
    public async Task An_unknown_button_is_still_answered_with_a_note()
    {
        var start = await _gateway.SayAsync(4109, "/start", "en");
        await _gateway.WaitForRepliesAsync(4109, 1);

        await _gateway.Telegram.SendCallbackQueryAsync(
            _gateway.Token, new Atlas.Testing.Sandbox.SandboxCallbackQuery(4109, 4109, start.MessageId, "no-such-button"));

        var answer = (await _gateway.Telegram.WaitForActionsAsync(_gateway.Token, "answerCallbackQuery", 1)).Single();
        answer.Ok.Should().BeTrue();
        answer.Parameters["text"]!.GetValue<string>().Should().Be(BotTexts.Get(TextKeys.CallbackUnknown, English));
    }

    [Fact]
    public async Task The_command_menus_are_set_at_start_in_English_and_Russian()
    {
        var menus = await _gateway.Telegram.WaitForActionsAsync(_gateway.Token, "setMyCommands", 2);

        menus.Should().OnlyContain(a => a.Ok);
        var english = menus.Single(a => a.Parameters["language_code"] is null);
        var russian = menus.Single(a => a.Parameters["language_code"]?.GetValue<string>() == "ru");
        english.Parameters["commands"]!.AsArray().Select(c => c!["command"]!.GetValue<string>())
            .Should().Equal("start", "help", "groups", "reset", "search", "tasks");
        russian.Parameters["commands"]![4]!["description"]!.GetValue<string>().Should().Be(BotTexts.Get(TextKeys.MenuSearch, Russian));
    }
}
