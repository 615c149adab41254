using System.Collections.Concurrent;
using System.Net;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Xunit.Abstractions;

namespace Atlas.Gateway.Tests.Ingest;

/// <summary>
/// The fault the webhook's promise is about: RabbitMQ restarts while 10,000 updates arrive, and the sender re-posts
/// every update that did not get 200, as Telegram does. Afterwards every update has been handled, and its effect
/// (MessagePosted) carries one MessageId, derived from the update: a publish whose confirm the dying broker never sent
/// is published again by the retried handling, and an idempotent consumer (the project's rule) takes it once. The
/// broker is a node of this test's own (<see cref="PrivateRabbitMq"/>); the shared one is never restarted.
/// </summary>
public sealed class BrokerRestart(ITestOutputHelper output)
{
    private const string Secret = "broker-restart-secret";
    private const int Updates = 10_000;
    private const int Chats = 200;
    private const int Senders = 32;
    private static readonly TimeSpan SendingTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Every_update_posted_while_the_broker_restarts_is_handled_and_its_effect_carries_one_message_id()
    {
        await using var broker = await PrivateRabbitMq.StartAsync();
        await using var sandbox = await SandboxHost.StartAsync();
        var bot = await sandbox.Telegram.CreateBotAsync();
        var resources = await IsolatedResources.CreateAsync("brokerrestart") with { RabbitMq = broker.ConnectionString };
        await using var recorder = await IngestRecorder.StartAsync(resources.RabbitMq, durable: true);
        // Disposed twice on the way through: first to stop it before the drain, again (a no-op) when a wait failed.
        await using var gateway = await IngestGateway.StartAsync(resources, sandbox, bot.Token, new Dictionary<string, string?>
        {
            ["Telegram:WebhookSecret"] = Secret,
            ["Gateway:Ingest:PublishTimeout"] = "00:00:02",
        });

        var chats = Enumerable.Range(0, Chats).Select(_ => IngestUpdates.NewGroupId()).ToArray();
        var pending = new ConcurrentQueue<(long UpdateId, byte[] Body)>(Enumerable.Range(0, Updates).Select(i =>
        {
            var updateId = IngestUpdates.NextUpdateId();
            var update = IngestUpdates.GroupMessage(updateId, chats[i % Chats], 9000 + (i % 50), $"message {i}");
            return (updateId, System.Text.Encoding.UTF8.GetBytes(update.ToJsonString()));
        }));
        var ids = pending.Select(p => p.UpdateId).ToList();
        var accepted = 0;
        var refused = 0;
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Bounds the sending: a broker that never comes back, or an edge that never takes updates again, fails the test
        // with the broker's queues in the message instead of sending for ever.
        using var sending = new CancellationTokenSource(SendingTimeout);

        async Task SendAsync()
        {
            while (pending.TryDequeue(out var next))
            {
                while (!await PostAsync(gateway, next.Body))
                {
                    Interlocked.Increment(ref refused);
                    // Telegram re-delivers a refused update after a pause of its own; a short one keeps the test quick.
                    await Task.Delay(TimeSpan.FromMilliseconds(50), sending.Token);
                }

                if (Interlocked.Increment(ref accepted) == Updates / 4)
                {
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            await broker.RestartAsync();
                            restarted.SetResult();
                        }
                        catch (Exception exception)
                        {
                            restarted.SetException(exception);
                            await sending.CancelAsync();
                        }
                    });
                }
            }
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAsync)));
        }
        catch (OperationCanceledException)
        {
            // A failed restart explains itself; otherwise the edge stopped taking updates.
            if (restarted.Task.IsFaulted)
            {
                await restarted.Task;
            }

            throw new TimeoutException(
                $"{accepted} of {Updates} updates were taken within {SendingTimeout.TotalMinutes:0} min ({refused} refusals); {recorder}; "
                + await broker.DescribeQueuesAsync());
        }

        await restarted.Task.WaitAsync(TimeSpan.FromMinutes(3));
        try
        {
            await recorder.WaitUntilAsync(r => r.Distinct >= Updates, TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message}; {recorder}; {await broker.DescribeQueuesAsync()}", exception);
        }

        await gateway.DisposeAsync();
        await recorder.DrainAsync();

        var repeated = ids.Count(id => recorder.CountOf(id) > 1);
        output.WriteLine($"{Updates} updates, {refused} deliveries refused during the restart, {repeated} effects delivered more than once");
        refused.Should().BePositive("the restart must have been felt at the edge, or this test proved nothing");
        ids.Where(id => recorder.CountOf(id) == 0).Should().BeEmpty($"no update is lost ({recorder})");
        ids.Where(id => !recorder.MessageIdsOf(id).SequenceEqual([UpdateMessageIds.For(id, GroupMessageHandler.Purpose)]))
            .Should().BeEmpty("every copy of an update's effect carries the one MessageId derived from it, so it is taken once");
    }

    private static async Task<bool> PostAsync(IngestGateway gateway, byte[] body)
    {
        try
        {
            using var response = await gateway.Client.SendAsync(IngestUpdates.WebhookRequest(body, Secret));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
