using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Contracts.Telegram;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Ingest;

/// <summary>
/// Rotating the bot token in the middle of traffic, the way it happens: @BotFather revokes the old token (the Sandbox
/// then answers 401 to it), a while later the operator gives the gateway the new one. Nothing is lost or done twice.
/// </summary>
public sealed class TokenRotation : IDisposable
{
    private const int Chats = 8;
    private readonly string _folder = Directory.CreateTempSubdirectory("atlas-token-rotation-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Polling_rotation_mid_traffic_loses_no_update_and_no_queued_message_and_survives_a_restart()
    {
        await using var world = await IngestWorld.StartAsync("rotatepoll");
        var settings = Settings();
        string newToken;
        await using (var gateway = await world.StartGatewayAsync(settings))
        {
            newToken = await RotateMidTrafficAsync(world, gateway);
            (await GetModeAsync(gateway)).GetProperty("state").GetString().Should().Be("polling");
        }

        var tokenFile = new FileInfo(settings["Telegram:RotatedTokenFile"]!);
        tokenFile.UnixFileMode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // Restarted with the old token still configured: the kept token is used, so updates keep coming.
        await using var restarted = await world.StartGatewayAsync(settings);
        var after = await world.Sandbox.Telegram.SendMessageAsync(newToken, PollingIngest.GroupMessage(IngestUpdates.NewGroupId(), 3101, "after restart"));
        await world.Recorder.WaitUntilAsync(r => r.CountOf(after.UpdateId) == 1, TimeSpan.FromSeconds(60));
        await world.Recorder.DrainAsync();
        world.Recorder.Counts.Where(c => c.Value != 1).Should().BeEmpty("no update is handled twice, across the rotation and the restart");
    }

    [Fact]
    public async Task Webhook_rotation_mid_traffic_registers_the_webhook_again_with_the_same_secret()
    {
        await using var world = await IngestWorld.StartAsync("rotatehook");
        var settings = Settings();
        settings["Telegram:Mode"] = "Webhook";
        settings["Telegram:WebhookSecret"] = "rotation-secret";
        await using var gateway = await world.StartGatewayAsync(settings, kestrel: true);
        await Eventually.PollAsync(() => GetModeAsync(gateway), m => m.GetProperty("state").GetString() == "webhook", TimeSpan.FromSeconds(30));

        var newToken = await RotateMidTrafficAsync(world, gateway);

        var webhook = await world.Sandbox.Telegram.GetWebhookAsync(newToken);
        webhook.Url.Should().Be(new Uri(gateway.PublicUrl!, "/telegram/webhook").ToString());
        webhook.SecretToken.Should().Be("rotation-secret");
        (await world.Sandbox.Telegram.GetActionsAsync(newToken, method: "setWebhook", includeReads: true)).Should().HaveCountGreaterThan(1);
        (await GetModeAsync(gateway)).GetProperty("state").GetString().Should().Be("webhook");
    }

    [Fact]
    public async Task Bad_rotations_change_nothing_and_get_problems_without_the_token()
    {
        await using var world = await IngestWorld.StartAsync("rotatebad");
        var (sandbox, bot, _, _) = world;
        await using var gateway = await world.StartGatewayAsync(Settings());
        var unknownToBotFather = TelegramBotToken.Create(bot.Id);
        var otherBot = TelegramBotToken.Create(bot.Id + 1);

        using (var noKey = await gateway.Client.PostAsJsonAsync("/admin/telegram/token", new { token = unknownToBotFather }))
        {
            noKey.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        foreach (var (token, status) in new[]
        {
            ("not a token", HttpStatusCode.BadRequest),
            ("", HttpStatusCode.BadRequest),
            (otherBot, HttpStatusCode.BadRequest),
            (unknownToBotFather, HttpStatusCode.UnprocessableEntity),
        })
        {
            using var response = await RotateAsync(gateway, token);
            response.StatusCode.Should().Be(status, token);
            await WebhookEndpoint.ShouldBeProblemAsync(response, status);
            (await response.Content.ReadAsStringAsync()).Should().NotContain(bot.Token).And.NotContain(unknownToBotFather);
        }

        using (var same = await RotateAsync(gateway, bot.Token))
        {
            same.StatusCode.Should().Be(HttpStatusCode.OK);
            (await same.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString().Should().Be("unchanged");
        }

        File.Exists(Path.Combine(_folder, "bot-token.json")).Should().BeFalse("nothing was rotated");
        var update = await sandbox.Telegram.SendMessageAsync(bot.Token, PollingIngest.GroupMessage(IngestUpdates.NewGroupId(), 3201, "still here"));
        await world.Recorder.WaitUntilAsync(r => r.CountOf(update.UpdateId) == 1, TimeSpan.FromSeconds(60));
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Telegram:RotatedTokenFile"] = Path.Combine(_folder, "bot-token.json"),
        ["Gateway:Outbound:UnauthorizedRetryDelay"] = "00:00:00.200",
    };

    // Updates and outbound messages flow while the token is revoked and then rotated; returns the new token.
    private static async Task<string> RotateMidTrafficAsync(IngestWorld world, IngestGateway gateway)
    {
        var (sandbox, bot, resources, recorder) = world;
        var groups = Enumerable.Range(0, 5).Select(_ => IngestUpdates.NewGroupId()).ToArray();
        var users = Enumerable.Range(0, Chats).Select(i => 5_100_000L + i + (Random.Shared.Next(1000) * 100)).ToArray();
        foreach (var user in users)
        {
            await sandbox.Telegram.PutChatAsync(bot.Token, user, "private");
        }

        using var metrics = new GatewayMetricsProbe(gateway.Services);
        await using var bus = await TestBus.StartAsync(resources.RabbitMq);
        var injected = new List<long>();
        var texts = new List<string>();
        var token = bot.Token;

        async Task TrafficAsync(string phase, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var sent = await sandbox.Telegram.SendMessageAsync(Volatile.Read(ref token), PollingIngest.GroupMessage(groups[i % groups.Length], 3001, $"{phase}{i}"));
                injected.Add(sent.UpdateId);
                if (i % 4 == 0)
                {
                    var text = $"{phase} reply {i}";
                    texts.Add(text);
                    await bus.Bus.Publish(new SendTelegramMessage($"rotation:{phase}:{i}", users[i % users.Length], text));
                }
            }
        }

        await TrafficAsync("before", 40);
        await recorder.WaitUntilAsync(r => r.Distinct >= 20, TimeSpan.FromSeconds(60));

        // @BotFather's /revoke: from here the old token gets 401 and the gateway has not got the new one yet.
        var rotated = await sandbox.Telegram.RotateTokenAsync(bot.Token);
        Volatile.Write(ref token, rotated.Token);
        (await sandbox.Telegram.CallBotApiAsync(bot.Token, "getMe")).StatusCode.Should().Be(401);
        await TrafficAsync("gap", 40);
        await Eventually.PollAsync(() => Task.FromResult(metrics.Outcome("retried")), n => n >= 1, TimeSpan.FromSeconds(30));

        var rotating = Task.Run(async () =>
        {
            using var response = await RotateAsync(gateway, rotated.Token);
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            (await response.Content.ReadAsStringAsync()).Should().NotContain(rotated.Token);
        });
        await TrafficAsync("during", 40);
        await rotating.WaitAsync(TimeSpan.FromSeconds(60));
        await TrafficAsync("after", 40);

        await recorder.WaitUntilAsync(r => injected.TrueForAll(id => r.CountOf(id) > 0), TimeSpan.FromSeconds(120));
        await sandbox.Telegram.WaitForActionsAsync(rotated.Token, "sendMessage", texts.Count, timeout: TimeSpan.FromSeconds(120));
        var delivered = new List<string>();
        foreach (var user in users)
        {
            delivered.AddRange((await sandbox.Telegram.GetChatMessagesAsync(rotated.Token, user)).Where(m => m.FromBot).Select(m => m.Text!));
        }

        delivered.Should().BeEquivalentTo(texts, "every queued message arrives once, those queued while the token was revoked too");
        await recorder.DrainAsync();
        recorder.Counts.Keys.Should().BeEquivalentTo(injected);
        recorder.Counts.Where(c => c.Value != 1).Should().BeEmpty("no update is handled twice");
        (await sandbox.Telegram.CallBotApiAsync(bot.Token, "getMe")).StatusCode.Should().Be(401, "the old token stays revoked");
        return rotated.Token;
    }

    private static Task<HttpResponseMessage> RotateAsync(IngestGateway gateway, string token) =>
        gateway.AdminPostAsync("/admin/telegram/token", new { token });

    private static Task<JsonElement> GetModeAsync(IngestGateway gateway) => gateway.GetTelegramModeAsync();
}
