using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>The Bot API's front door: paths, envelopes, the four ways to pass parameters, 401 and 404.</summary>
public sealed class BotApi(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private readonly HttpClient _http = new() { BaseAddress = sandbox.Host.BaseUrl };

    [Fact]
    public async Task Answers_getMe_with_the_ok_envelope_and_the_bot_as_a_user()
    {
        var bot = await sandbox.NewBotAsync();

        using var response = await _http.GetAsync(sandbox.Host.BotApiUrl(bot.Token, "getMe"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var envelope = await response.Content.ReadFromJsonAsync<JsonObject>();
        envelope!["ok"]!.GetValue<bool>().Should().BeTrue();
        var me = envelope["result"]!.AsObject();
        me["id"]!.GetValue<long>().Should().Be(bot.Id);
        me["is_bot"]!.GetValue<bool>().Should().BeTrue();
        me["username"]!.GetValue<string>().Should().Be(bot.Username);
        me["first_name"]!.GetValue<string>().Should().Be(bot.FirstName);
    }

    [Fact]
    public async Task Answers_a_token_whose_secret_holds_the_letters_bot()
    {
        var token = "5123456789:" + "abcBOTdefbotghij_-klmnopqrstuvwxyzAB"[..35];
        await sandbox.Host.Telegram.CreateBotAsync(token, "bot_in_token_bot", "Bot");

        using var response = await _http.GetAsync(sandbox.Host.BotApiUrl(token, "getMe"));

        response.StatusCode.Should().Be(HttpStatusCode.OK, "a real token may hold any of its letters, \"bot\" included");
    }

    [Fact]
    public async Task Answers_401_to_an_unknown_token()
    {
        using var response = await _http.GetAsync(sandbox.Host.BotApiUrl(TelegramBotToken.Create(), "getMe"));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"ok":false,"error_code":401,"description":"Unauthorized"}""");
    }

    [Fact]
    public async Task Answers_401_to_a_malformed_token()
    {
        using var response = await _http.GetAsync(sandbox.Host.BotApiUrl("not-a-token", "getMe"));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Answers_404_Not_Found_to_an_unknown_method()
    {
        var bot = await sandbox.NewBotAsync();

        var response = await sandbox.CallAsync(bot, "sendTelepathy");

        response.StatusCode.Should().Be(404);
        response.Envelope.ToJsonString().Should().Be("""{"ok":false,"error_code":404,"description":"Not Found"}""");
    }

    [Theory]
    [InlineData("getme")]
    [InlineData("GETME")]
    [InlineData("GetMe")]
    public async Task Ignores_the_letter_case_of_method_names(string method)
    {
        var bot = await sandbox.NewBotAsync();

        var response = await sandbox.CallAsync(bot, method);

        response.Ok.Should().BeTrue();
    }

    [Fact]
    public async Task Takes_parameters_from_the_query_string()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(501);

        using var response = await _http.GetAsync(new Uri(sandbox.Host.BotApiUrl(bot.Token, "sendMessage") + "?chat_id=501&text=from%20query"));

        var envelope = await response.Content.ReadFromJsonAsync<JsonObject>();
        envelope!["result"]!["text"]!.GetValue<string>().Should().Be("from query");
    }

    [Fact]
    public async Task Takes_parameters_from_a_form_body()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(502);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["chat_id"] = "502", ["text"] = "from form" });

        using var response = await _http.PostAsync(sandbox.Host.BotApiUrl(bot.Token, "sendMessage"), form);

        var envelope = await response.Content.ReadFromJsonAsync<JsonObject>();
        envelope!["result"]!["text"]!.GetValue<string>().Should().Be("from form");
    }

    [Fact]
    public async Task Takes_parameters_from_a_multipart_body_with_objects_as_JSON_strings()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(503);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("503"), "chat_id" },
            { new StringContent("from multipart"), "text" },
            { new StringContent("""{"inline_keyboard":[[{"text":"Yes","callback_data":"yes"}]]}"""), "reply_markup" },
        };

        using var response = await _http.PostAsync(sandbox.Host.BotApiUrl(bot.Token, "sendMessage"), form);

        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!["result"]!;
        result["text"]!.GetValue<string>().Should().Be("from multipart");
        result["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>().Should().Be("yes");
    }

    [Fact]
    public async Task Takes_parameters_from_a_JSON_body_and_leaves_nulls_out_of_answers()
    {
        var bot = await sandbox.NewBotWithPrivateChatAsync(504);

        var response = await sandbox.CallAsync(bot, "sendMessage", new JsonObject { ["chat_id"] = 504, ["text"] = "from JSON" });

        response.Ok.Should().BeTrue();
        response.Envelope.ToJsonString().Should().NotContain("null");
        response.Result!["chat"]!["id"]!.GetValue<long>().Should().Be(504);
        response.Result!["from"]!["id"]!.GetValue<long>().Should().Be(bot.Id);
    }

    [Fact]
    public async Task Answers_a_malformed_JSON_body_with_400()
    {
        var bot = await sandbox.NewBotAsync();
        using var body = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");

        using var response = await _http.PostAsync(sandbox.Host.BotApiUrl(bot.Token, "getMe"), body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
