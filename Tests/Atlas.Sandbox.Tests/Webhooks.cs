using System.Net;
using System.Text.Json.Nodes;
using Atlas.Testing;

namespace Atlas.Sandbox.Tests;

/// <summary>setWebhook and the background delivery: secret header, retries until a 2xx, errors in getWebhookInfo.</summary>
public sealed class Webhooks(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Delivers_updates_with_the_secret_token_header()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var bot = await sandbox.NewBotAsync();
        var set = await sandbox.CallAsync(bot, "setWebhook", new JsonObject { ["url"] = receiver.Url.ToString(), ["secret_token"] = "s3cret_value-1" });

        var sent = await sandbox.Telegram.SendMessageAsync(bot.Token, 801, "to the webhook");
        await Eventually.PollAsync(() => Task.FromResult(receiver.Received), r => r.Count >= 1, Bound);
        var webhook = await Eventually.PollAsync(() => sandbox.Telegram.GetWebhookAsync(bot.Token), w => w.PendingUpdateCount == 0, Bound);

        set.Envelope.ToJsonString().Should().Be("""{"ok":true,"result":true,"description":"Webhook was set"}""");
        var delivery = receiver.Received.Should().ContainSingle().Subject;
        delivery.UpdateId.Should().Be(sent.UpdateId);
        delivery.SecretToken.Should().Be("s3cret_value-1");
        delivery.ContentType.Should().StartWith("application/json");
        delivery.Update["message"]!["text"]!.GetValue<string>().Should().Be("to the webhook");
        webhook.Delivered.Should().Be(1);
    }

    [Fact]
    public async Task Retries_after_a_500_and_reports_it_as_last_error()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = HttpStatusCode.InternalServerError;
        var bot = await sandbox.NewBotAsync();
        await sandbox.CallAsync(bot, "setWebhook", new JsonObject { ["url"] = receiver.Url.ToString() });

        var sent = await sandbox.Telegram.SendMessageAsync(bot.Token, 802, "retry me");
        await Eventually.PollAsync(() => Task.FromResult(receiver.Received), r => r.Count >= 2, Bound);
        var failing = await sandbox.CallAsync(bot, "getWebhookInfo");
        receiver.Status = HttpStatusCode.OK;
        await Eventually.PollAsync(() => sandbox.Telegram.GetWebhookAsync(bot.Token), w => w.PendingUpdateCount == 0, Bound);

        failing.Result!["pending_update_count"]!.GetValue<int>().Should().Be(1);
        failing.Result!["last_error_message"]!.GetValue<string>().Should().Be("Wrong response from the webhook: 500 Internal Server Error");
        failing.Result!["last_error_date"]!.GetValue<long>().Should().BeGreaterThan(0);
        receiver.Received.Should().OnlyContain(r => r.UpdateId == sent.UpdateId);
    }

    [Fact]
    public async Task Counts_a_webhook_that_does_not_answer_in_time_as_failed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Hang = true;
        var bot = await sandbox.NewBotAsync();
        await sandbox.CallAsync(bot, "setWebhook", new JsonObject { ["url"] = receiver.Url.ToString() });

        await sandbox.Telegram.SendMessageAsync(bot.Token, 803, "slow");
        var webhook = await Eventually.PollAsync(() => sandbox.Telegram.GetWebhookAsync(bot.Token), w => w.FailedAttempts >= 1, Bound);

        webhook.LastErrorMessage.Should().Be("Read timeout expired");
        webhook.PendingUpdateCount.Should().Be(1);
    }

    [Fact]
    public async Task Reports_a_refused_connection()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.CallAsync(bot, "setWebhook", new JsonObject { ["url"] = "http://127.0.0.1:9/hook" });

        await sandbox.Telegram.SendMessageAsync(bot.Token, 804, "nobody listens");
        var webhook = await Eventually.PollAsync(() => sandbox.Telegram.GetWebhookAsync(bot.Token), w => w.FailedAttempts >= 1, Bound);

        webhook.LastErrorMessage.Should().Be("Connection refused");
    }

    [Fact]
    public async Task Drops_pending_updates_when_asked_on_set_and_on_delete()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.Telegram.SendMessageAsync(bot.Token, 805, "old");
        await sandbox.CallAsync(bot, "setWebhook", new JsonObject { ["url"] = "http://127.0.0.1:9/hook", ["drop_pending_updates"] = true });
        var afterSet = await sandbox.CallAsync(bot, "getWebhookInfo");

        await sandbox.Telegram.SendMessageAsync(bot.Token, 805, "newer");
        var deleted = await sandbox.CallAsync(bot, "deleteWebhook", new JsonObject { ["drop_pending_updates"] = true });
        var afterDelete = await sandbox.CallAsync(bot, "getUpdates");

        afterSet.Result!["pending_update_count"]!.GetValue<int>().Should().Be(0);
        deleted.Description.Should().Be("Webhook was deleted");
        afterDelete.Result!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Describes_the_webhook_in_getWebhookInfo()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.CallAsync(bot, "setWebhook", new JsonObject
        {
            ["url"] = "http://127.0.0.1:9/hook",
            ["max_connections"] = 7,
            ["allowed_updates"] = new JsonArray("message", "callback_query"),
        });

        var info = await sandbox.CallAsync(bot, "getWebhookInfo");

        info.Result!["url"]!.GetValue<string>().Should().Be("http://127.0.0.1:9/hook");
        info.Result!["has_custom_certificate"]!.GetValue<bool>().Should().BeFalse();
        info.Result!["max_connections"]!.GetValue<int>().Should().Be(7);
        info.Result!["allowed_updates"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("message", "callback_query");
    }

    [Fact]
    public async Task Answers_getWebhookInfo_with_an_empty_url_when_no_webhook_is_set()
    {
        var bot = await sandbox.NewBotAsync();

        var info = await sandbox.CallAsync(bot, "getWebhookInfo");

        info.Result!["url"]!.GetValue<string>().Should().BeEmpty();
        info.Result!["pending_update_count"]!.GetValue<int>().Should().Be(0);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public async Task Rejects_a_secret_token_with_characters_Telegram_does_not_allow(string secret)
    {
        var bot = await sandbox.NewBotAsync();

        var response = await sandbox.CallAsync(bot, "setWebhook", new JsonObject { ["url"] = "http://127.0.0.1:9/hook", ["secret_token"] = secret });

        response.StatusCode.Should().Be(400);
        response.Description.Should().Be("Bad Request: secret token contains unallowed characters");
    }

    [Fact]
    public async Task Rejects_a_url_that_is_not_http_or_https()
    {
        var bot = await sandbox.NewBotAsync();

        var response = await sandbox.CallAsync(bot, "setWebhook", new JsonObject { ["url"] = "ftp://127.0.0.1/hook" });

        response.Description.Should().Be("Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
    }

    [Fact]
    public async Task Removes_the_webhook_when_set_with_an_empty_url()
    {
        var bot = await sandbox.NewBotAsync();
        await sandbox.CallAsync(bot, "setWebhook", new JsonObject { ["url"] = "http://127.0.0.1:9/hook" });

        var response = await sandbox.CallAsync(bot, "setWebhook", new JsonObject { ["url"] = "" });
        var updates = await sandbox.CallAsync(bot, "getUpdates");

        response.Ok.Should().BeTrue();
        updates.Ok.Should().BeTrue();
    }
}
