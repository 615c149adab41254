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
        await using var sandbox = await SandboxHost.StartAsync();
        var bot = await sandbox.Telegram.CreateBotAsync();
        // Telegram refuses the first registrations: the gateway keeps trying in the background.
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("setWebhook", 502, Description: "Bad Gateway", Count: 2));
        var resources = await IsolatedResources.CreateAsync("ingestwebhookmode");
        await using var recorder = await IngestRecorder.StartAsync(resources.RabbitMq);
        await using var gateway = await IngestGateway.StartAsync(resources, sandbox, bot.Token, new Dictionary<string, string?>
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
}
