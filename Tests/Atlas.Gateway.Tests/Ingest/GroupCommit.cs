using System.Diagnostics;
using System.Net;
using Atlas.Gateway.Telegram.Ingest;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Gateway.Tests.Ingest;

/// <summary>
/// The webhook's group commit: concurrent updates share one broker message, each is answered 200 only after the
/// broker confirmed its batch, a broker that does not confirm refuses the whole batch (503), and a full waiting line
/// refuses at once. Per-chat order holds across batches.
/// </summary>
public sealed class GroupCommit
{
    private const string Secret = "group-commit-secret";

    [Fact]
    public async Task Concurrent_updates_share_broker_messages_keep_each_chats_order_and_are_each_handled_once()
    {
        await using var world = await IngestWorld.StartAsync("groupcommit");
        await using var gateway = await world.StartGatewayAsync(new Dictionary<string, string?> { ["Telegram:WebhookSecret"] = Secret });
        using var probe = new GatewayMetricsProbe(gateway.Services);
        var chats = Enumerable.Range(0, 24).Select(_ => IngestUpdates.NewGroupId()).ToArray();
        var sent = chats.ToDictionary(chat => chat, _ => new List<long>());

        // One sender per chat, each waiting for its 200 before the next update, as Telegram does per chat: a chat's
        // consecutive updates then travel in different batches, mixed with the other chats' updates.
        await Task.WhenAll(chats.Select(chat => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var updateId = IngestUpdates.NextUpdateId();
                using var response = await gateway.Client.SendAsync(
                    IngestUpdates.WebhookRequest(IngestUpdates.GroupMessage(updateId, chat, 6100 + i, $"n{i}"), Secret));
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                sent[chat].Add(updateId);
            }
        })));

        var total = chats.Length * 20;
        await world.Recorder.WaitUntilAsync(r => r.Distinct == total, TimeSpan.FromSeconds(60));
        probe.Count("gateway_ingest_batch_size", "").Should().Be(total, "every accepted update went out in some batch");
        probe.Recordings("gateway_ingest_batch_size").Should().BeLessThan(total, "concurrent updates shared broker messages");
        probe.Max("gateway_ingest_batch_size").Should().BeGreaterThan(1);
        foreach (var chat in chats)
        {
            world.Recorder.ChatOrder(chat).Should().Equal(sent[chat], "chat {0} is handled in the order it was sent", chat);
        }

        world.Recorder.Counts.Values.Should().AllSatisfy(count => count.Should().Be(1));
    }

    [Fact]
    public async Task The_same_update_many_times_in_one_batch_is_handled_once_and_holds_up_nothing()
    {
        await using var world = await IngestWorld.StartAsync("groupcommitdup");
        await using var gateway = await world.StartGatewayAsync(new Dictionary<string, string?> { ["Telegram:WebhookSecret"] = Secret });
        var chat = IngestUpdates.NewGroupId();
        var repeated = IngestUpdates.NextUpdateId();
        var body = IngestUpdates.GroupMessage(repeated, chat, 6400, "said once, delivered often");

        // Concurrent copies join the same group commit, so the consumer sees the id more than once in one batch.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var response = await gateway.Client.SendAsync(IngestUpdates.WebhookRequest(body, Secret));
            return response.StatusCode;
        }));
        var later = IngestUpdates.NextUpdateId();
        using (var next = await gateway.Client.SendAsync(IngestUpdates.WebhookRequest(IngestUpdates.GroupMessage(later, chat, 6400, "next"), Secret)))
        {
            next.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        statuses.Should().AllSatisfy(status => status.Should().Be(HttpStatusCode.OK));
        // Well inside the 30 s handling lease a copy waiting on its own batch's claim would sit out.
        // The copies came in the same batch as the later update or before it, so they are settled once it is handled.
        await world.Recorder.WaitUntilAsync(r => r.CountOf(later) == 1, TimeSpan.FromSeconds(20));
        await world.Recorder.DrainAsync();
        world.Recorder.CountOf(repeated).Should().Be(1);
        world.Recorder.ChatOrder(chat).Should().Equal(repeated, later);
    }

    [Fact]
    public async Task A_copy_claimed_by_a_later_batch_that_has_not_begun_it_is_handed_over_not_waited_for()
    {
        await using var world = await IngestWorld.StartAsync("groupcommithandover");
        await using var gateway = await world.StartGatewayAsync(new Dictionary<string, string?> { ["Telegram:WebhookSecret"] = Secret });
        var deduplicator = gateway.Services.GetRequiredService<UpdateDeduplicator>();
        var chat = IngestUpdates.NewGroupId();
        var updateId = IngestUpdates.NextUpdateId();

        // A later batch of this process got its claim in first (Redis answered it before the earlier batch) and waits
        // for its turn in the chat, behind the earlier batch, which now meets the update as "busy".
        await using var later = await deduplicator.ClaimBatchAsync([updateId]);
        later.StateOf(updateId).Should().Be(ClaimState.Claimed);
        using (var response = await gateway.Client.SendAsync(IngestUpdates.WebhookRequest(IngestUpdates.GroupMessage(updateId, chat, 6500, "mine"), Secret)))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // Waiting for the later batch would sit out the 30 s lease and more; the hand-over handles it at once.
        await world.Recorder.WaitUntilAsync(r => r.CountOf(updateId) == 1, TimeSpan.FromSeconds(10));
        later.TryBegin(updateId).Should().BeFalse("the claim was handed over, so the later batch skips its copy");
        await using var again = await deduplicator.ClaimBatchAsync([updateId]);
        again.StateOf(updateId).Should().Be(ClaimState.Handled);
        await world.Recorder.DrainAsync();
        world.Recorder.CountOf(updateId).Should().Be(1);
    }

    [Fact]
    public async Task An_update_unreadable_past_the_edge_is_dropped_with_a_reason_and_its_batch_mates_are_handled()
    {
        await using var world = await IngestWorld.StartAsync("groupcommitbad");
        await using var gateway = await world.StartGatewayAsync(new Dictionary<string, string?> { ["Telegram:WebhookSecret"] = Secret });
        using var probe = new GatewayMetricsProbe(gateway.Services);
        var chat = IngestUpdates.NewGroupId();
        var good = Enumerable.Range(0, 10).Select(_ => IngestUpdates.NextUpdateId()).ToArray();
        var bad = IngestUpdates.NextUpdateId();

        // Well-formed JSON with an update_id passes the edge; its message is a string, which only the full parse refuses.
        var bodies = good.Select(id => System.Text.Encoding.UTF8.GetBytes(IngestUpdates.GroupMessage(id, chat, 6200, "fine").ToJsonString()))
            .Prepend(System.Text.Encoding.UTF8.GetBytes($$"""{"update_id":{{bad}},"message":"not an object"}"""));
        var statuses = await Task.WhenAll(bodies.Select(async body =>
        {
            using var response = await gateway.Client.SendAsync(IngestUpdates.WebhookRequest(body, Secret));
            return response.StatusCode;
        }));

        statuses.Should().AllSatisfy(status => status.Should().Be(HttpStatusCode.OK));
        await world.Recorder.WaitUntilAsync(r => good.All(id => r.CountOf(id) == 1));
        await Eventually.PollAsync(() => Task.FromResult(probe.Dropped("malformed")), dropped => dropped == 1, TimeSpan.FromSeconds(10));
        world.Recorder.CountOf(bad).Should().Be(0);
    }

    [Fact]
    public async Task Without_a_confirm_the_whole_batch_gets_503_and_a_full_waiting_line_refuses_at_once()
    {
        await using var broker = await PrivateRabbitMq.StartAsync();
        await using var sandbox = await SandboxHost.StartAsync();
        var bot = await sandbox.Telegram.CreateBotAsync();
        var resources = await IsolatedResources.CreateAsync("groupcommitfull") with { RabbitMq = broker.ConnectionString };
        await using var gateway = await IngestGateway.StartAsync(resources, sandbox, bot.Token, new Dictionary<string, string?>
        {
            ["Telegram:WebhookSecret"] = Secret,
            ["Gateway:Ingest:PublishTimeout"] = "00:00:08",
            ["Gateway:Ingest:PendingLimit"] = "4",
        });
        await broker.StopAsync();

        var chat = IngestUpdates.NewGroupId();
        var clock = Stopwatch.StartNew();
        var posts = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            using var response = await gateway.Client.SendAsync(
                IngestUpdates.WebhookRequest(IngestUpdates.GroupMessage(IngestUpdates.NextUpdateId(), chat, 6300, "no broker"), Secret));
            return (response.StatusCode, At: clock.Elapsed, Body: await response.Content.ReadAsStringAsync());
        })).ToArray();

        // Beyond the batch in flight and the 4 waiting, the line is full: those are refused long before the publish times out.
        await Eventually.PollAsync(() => Task.FromResult(posts.Count(p => p.IsCompleted)), done => done > 0, TimeSpan.FromSeconds(6));
        posts.Count(p => !p.IsCompleted).Should().BeGreaterThan(0, "the batch in flight still waits for the broker's confirm");

        var results = await Task.WhenAll(posts);
        results.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable));
        results.Should().AllSatisfy(r => r.Body.Should().Contain("Telegram will deliver it again").And.NotContain("Exception"));
        results.Count(r => r.At < TimeSpan.FromSeconds(6)).Should().BeGreaterThanOrEqualTo(1, "a full line refuses at once");
        results.Count(r => r.At > TimeSpan.FromSeconds(7)).Should().BeInRange(1, 20 - 1, "the batches in flight were refused only when their confirm did not come");
    }
}
