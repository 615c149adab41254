using System.Net;
using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>@BotFather's /revoke in the Sandbox: a new token for the same bot, the old one refused like Telegram refuses it.</summary>
public sealed class TokenRotation(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task A_rotated_token_keeps_the_bot_and_its_queue_and_the_old_token_answers_401()
    {
        var bot = await sandbox.NewBotAsync();
        var queued = await sandbox.Telegram.SendMessageAsync(bot.Token, 4101, "before the rotation");

        var rotated = await sandbox.Telegram.RotateTokenAsync(bot.Token);
        var old = await sandbox.Telegram.CallBotApiAsync(bot.Token, "getMe");
        var me = await sandbox.Telegram.CallBotApiAsync(rotated.Token, "getMe");
        var updates = await sandbox.Telegram.CallBotApiAsync(rotated.Token, "getUpdates");

        rotated.Id.Should().Be(bot.Id);
        rotated.Token.Should().NotBe(bot.Token).And.StartWith($"{bot.Id}:");
        old.StatusCode.Should().Be(401);
        old.Description.Should().Be("Unauthorized");
        me.StatusCode.Should().Be(200);
        me.Result!["id"]!.GetValue<long>().Should().Be(bot.Id);
        updates.Result!.AsArray().Select(u => u!["update_id"]!.GetValue<long>()).Should().Equal(queued.UpdateId);
    }

    [Fact]
    public async Task Takes_a_given_token_of_the_same_bot_and_refuses_another_bots_or_a_taken_one()
    {
        var bot = await sandbox.NewBotAsync();
        var other = await sandbox.NewBotAsync();
        var given = TelegramBotToken.Create(bot.Id);

        var otherBots = () => sandbox.Telegram.RotateTokenAsync(bot.Token, TelegramBotToken.Create(bot.Id + 1));
        var taken = () => sandbox.Telegram.RotateTokenAsync(other.Token, other.Token);
        var malformed = () => sandbox.Telegram.RotateTokenAsync(bot.Token, "short");
        var unknown = () => sandbox.Telegram.RotateTokenAsync(TelegramBotToken.Create());

        (await otherBots.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await taken.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await malformed.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await sandbox.Telegram.RotateTokenAsync(bot.Token, given)).Token.Should().Be(given);
        (await sandbox.Telegram.CallBotApiAsync(given, "getMe")).StatusCode.Should().Be(200);
    }

    [Fact]
    public async Task The_webhook_stays_registered_across_a_rotation()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.Telegram.CallBotApiAsync(bot.Token, "setWebhook", new JsonObject { ["url"] = "http://127.0.0.1:9/hook", ["secret_token"] = "kept-secret" });

        var rotated = await sandbox.Telegram.RotateTokenAsync(bot.Token);

        (await sandbox.Telegram.GetWebhookAsync(rotated.Token)).Url.Should().Be("http://127.0.0.1:9/hook");
    }
}
