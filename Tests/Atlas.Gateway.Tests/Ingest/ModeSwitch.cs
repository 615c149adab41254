using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;

namespace Atlas.Gateway.Tests.Ingest;

/// <summary>Switching between polling and webhook at run time through the ops API.</summary>
public sealed class ModeSwitch
{
    [Fact]
    public async Task Polling_to_webhook_and_back_while_updates_arrive_loses_none_and_repeats_none()
    {
        await using var world = await IngestWorld.StartAsync("ingestswitch");
        var (sandbox, bot, _, recorder) = world;
        var settings = new Dictionary<string, string?> { ["Telegram:WebhookSecret"] = "switch-secret" };
        var chats = Enumerable.Range(0, 5).Select(_ => IngestUpdates.NewGroupId()).ToArray();
        var injected = new List<long>();
        var injectedCount = 0;

        await using (var gateway = await world.StartGatewayAsync(settings, kestrel: true))
        {
            (await GetModeAsync(gateway)).GetProperty("mode").GetString().Should().Be("Polling");
            // Updates keep coming through both switches, but the sender waits at fixed points so that, however slow the
            // machine, some arrive while the webhook is active and some while each switch is under way.
            var webhookRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var webhookActive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var pollingRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var injector = Task.Run(async () =>
            {
                for (var i = 0; i < 300; i++)
                {
                    await (i switch { 100 => webhookRequested.Task, 150 => webhookActive.Task, 200 => pollingRequested.Task, _ => Task.CompletedTask });
                    var sent = await sandbox.Telegram.SendMessageAsync(bot.Token, PollingIngest.GroupMessage(chats[i % chats.Length], 3001, $"s{i}"));
                    lock (injected)
                    {
                        injected.Add(sent.UpdateId);
                    }

                    Interlocked.Increment(ref injectedCount);
                }
            });

            await Eventually.PollAsync(() => Task.FromResult(Volatile.Read(ref injectedCount)), n => n >= 100, TimeSpan.FromSeconds(60));
            var toWebhook = SetModeAsync(gateway, "Webhook");
            webhookRequested.SetResult();
            (await toWebhook).StatusCode.Should().Be(HttpStatusCode.OK);
            await Eventually.PollAsync(() => sandbox.Telegram.GetWebhookAsync(bot.Token), w => !string.IsNullOrEmpty(w.Url), TimeSpan.FromSeconds(30));
            await Eventually.PollAsync(() => GetModeAsync(gateway), m => m.GetProperty("state").GetString() == "webhook", TimeSpan.FromSeconds(30));
            webhookActive.SetResult();

            await Eventually.PollAsync(() => Task.FromResult(Volatile.Read(ref injectedCount)), n => n >= 200, TimeSpan.FromSeconds(60));
            // Some updates arrive by webhook before switching back.
            await Eventually.PollAsync(() => sandbox.Telegram.GetWebhookAsync(bot.Token), w => w.Delivered >= 20, TimeSpan.FromSeconds(60));
            var toPolling = SetModeAsync(gateway, "Polling");
            pollingRequested.SetResult();
            (await toPolling).StatusCode.Should().Be(HttpStatusCode.OK);
            await Eventually.PollAsync(() => sandbox.Telegram.GetWebhookAsync(bot.Token), w => string.IsNullOrEmpty(w.Url), TimeSpan.FromSeconds(30));

            await injector.WaitAsync(TimeSpan.FromSeconds(120));
            await recorder.WaitUntilAsync(r => injected.TrueForAll(id => r.CountOf(id) > 0), TimeSpan.FromSeconds(120));
            (await GetModeAsync(gateway)).GetProperty("mode").GetString().Should().Be("Polling");
        }

        await recorder.DrainAsync();
        injected.Should().HaveCount(300);
        recorder.Counts.Keys.Should().BeEquivalentTo(injected);
        recorder.Counts.Where(c => c.Value != 1).Should().BeEmpty("no update is handled twice");
    }

    [Fact]
    public async Task The_switched_mode_survives_a_restart_and_bad_requests_get_problems()
    {
        await using var world = await IngestWorld.StartAsync("ingestmodestore");
        var (sandbox, bot, _, _) = world;

        await using (var withoutBaseUrl = await world.StartGatewayAsync())
        {
            using var noBase = await SetModeAsync(withoutBaseUrl, "Webhook");
            await WebhookEndpoint.ShouldBeProblemAsync(noBase, HttpStatusCode.BadRequest);
            using var unknown = await SetModeAsync(withoutBaseUrl, "Carrier pigeon");
            await WebhookEndpoint.ShouldBeProblemAsync(unknown, HttpStatusCode.BadRequest);
            using var noKey = await withoutBaseUrl.Client.PostAsJsonAsync("/admin/telegram/mode", new { mode = "Polling" });
            noKey.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        await using (var first = await world.StartGatewayAsync(kestrel: true))
        {
            (await SetModeAsync(first, "webhook")).StatusCode.Should().Be(HttpStatusCode.OK);
            await Eventually.PollAsync(() => sandbox.Telegram.GetWebhookAsync(bot.Token), w => !string.IsNullOrEmpty(w.Url), TimeSpan.FromSeconds(30));
        }

        // Configured for polling, but the stored choice wins.
        await using var restarted = await world.StartGatewayAsync(kestrel: true);
        var mode = await Eventually.PollAsync(() => GetModeAsync(restarted), m => m.GetProperty("state").GetString() == "webhook", TimeSpan.FromSeconds(30));
        mode.GetProperty("mode").GetString().Should().Be("Webhook");
    }

    private static Task<HttpResponseMessage> SetModeAsync(IngestGateway gateway, string mode) =>
        gateway.AdminPostAsync("/admin/telegram/mode", new { mode });

    private static Task<JsonElement> GetModeAsync(IngestGateway gateway) => gateway.GetTelegramModeAsync();
}
