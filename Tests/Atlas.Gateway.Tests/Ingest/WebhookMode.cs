using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Ingest;

/// <summary>Webhook mode end to end: the gateway registers itself and the Sandbox delivers to it over real HTTP.</summary>
public sealed class WebhookMode
{
    private const string Secret = "webhook-mode-secret";

    [Fact]
    public async Task Registers_at_start_and_receives_sandbox_deliveries_with_the_secret()
    {
        await using var world = await IngestWorld.StartAsync("ingestwebhookmode");
        var (sandbox, bot, _, recorder) = world;
        // Telegram refuses the first registrations: the gateway keeps trying in the background.
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("setWebhook", 502, Description: "Bad Gateway", Count: 2));
        await using var gateway = await world.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookSecret"] = Secret,
            ["Telegram:WebhookMaxConnections"] = "7",
            ["Telegram:AllowedUpdates:0"] = "message",
            ["Telegram:AllowedUpdates:1"] = "chat_member",
        }, kestrel: true);

        var webhook = await Eventually.PollAsync(
            () => sandbox.Telegram.GetWebhookAsync(bot.Token), w => !string.IsNullOrEmpty(w.Url), TimeSpan.FromSeconds(30));
        webhook.Url.Should().Be(new Uri(gateway.PublicUrl!, "telegram/webhook").ToString());
        webhook.SecretToken.Should().Be(Secret);
        webhook.MaxConnections.Should().Be(7);
        webhook.AllowedUpdates.Should().BeEquivalentTo("message", "chat_member");
        (await sandbox.Telegram.GetActionsAsync(bot.Token, method: "setWebhook", includeReads: true))
            .Count(a => !a.Ok).Should().Be(2, "the refused attempts were retried");

        var chat = IngestUpdates.NewGroupId();
        var sent = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            sent.Add((await sandbox.Telegram.SendMessageAsync(bot.Token, PollingIngest.GroupMessage(chat, 4001, $"w{i}"))).UpdateId);
        }

        await recorder.WaitUntilAsync(r => sent.TrueForAll(id => r.CountOf(id) == 1));
        var delivered = await sandbox.Telegram.GetWebhookAsync(bot.Token);
        delivered.Delivered.Should().BeGreaterThanOrEqualTo(20);
        delivered.FailedAttempts.Should().Be(0, "every delivery carried the right secret and was accepted");
        (await sandbox.Telegram.GetActionsAsync(bot.Token, method: "getUpdates", includeReads: true))
            .Should().BeEmpty("webhook mode does not poll");
    }

    [Fact]
    public async Task Without_a_configured_secret_registers_one_of_its_own_and_refuses_posts_without_it()
    {
        await using var world = await IngestWorld.StartAsync("ingestwebhookownsecret");
        var (sandbox, bot, _, recorder) = world;
        await using var gateway = await world.StartGatewayAsync(new Dictionary<string, string?> { ["Telegram:Mode"] = "Webhook" }, kestrel: true);

        var webhook = await Eventually.PollAsync(
            () => sandbox.Telegram.GetWebhookAsync(bot.Token), w => !string.IsNullOrEmpty(w.Url), TimeSpan.FromSeconds(30));
        webhook.SecretToken.Should().NotBeNullOrEmpty().And.MatchRegex("^[A-Za-z0-9_-]{32,256}$");

        var forged = IngestUpdates.GroupMessage(IngestUpdates.NextUpdateId(), IngestUpdates.NewGroupId(), 4002, "forged");
        using (var request = IngestUpdates.WebhookRequest(forged, secret: null))
        using (var response = await gateway.Client.SendAsync(request))
        {
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized, "an unset secret must not leave the endpoint open");
        }

        var sent = (await sandbox.Telegram.SendMessageAsync(bot.Token, PollingIngest.GroupMessage(IngestUpdates.NewGroupId(), 4003, "real"))).UpdateId;
        await recorder.WaitUntilAsync(r => r.CountOf(sent) == 1);
        (await sandbox.Telegram.GetWebhookAsync(bot.Token)).FailedAttempts.Should().Be(0, "Telegram has the secret the gateway checks");
    }
}
