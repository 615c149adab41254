using System.Diagnostics;
using Atlas.Moderation.Tests.Support;
using Atlas.Testing;

namespace Atlas.Moderation.Tests.Reliability;

/// <summary>
/// Moderation's PostgreSQL (a private server, so the shared one stays up) goes away while group messages arrive:
/// they wait on the broker, none reaches <c>_error</c>, and once the server is back each is judged exactly once.
/// </summary>
public sealed class PostgresOutage : IAsyncLifetime
{
    private const string Queue = "moderation-message-posted";
    private PrivatePostgres _postgres = null!;
    private ModerationWorld _world = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PrivatePostgres.StartAsync();
        // Pauses of at most 1 s between attempts: the old bounded retries (nine) would have given up within the outage.
        _world = ModerationWorld.With(_postgres.ConnectionString, new Dictionary<string, string?> { ["Moderation:OutageRetryMaxInterval"] = "00:00:01" });
        await _world.InitializeAsync();
    }

    [Fact]
    public async Task Group_messages_wait_on_the_bus_while_PostgreSQL_is_down_and_are_judged_once_each_when_it_is_back()
    {
        var chat = await _world.NewChatAsync();
        await _world.PutSettingsAsync(chat, """{"bannedWords": ["casino"]}""");
        using var queues = new BrokerQueues(_world.Resources.RabbitMq);

        await _postgres.StopServerAsync();
        var sent = new List<long>();
        for (var user = 6101L; user <= 6104; user++)
        {
            sent.Add((await _world.SayAsync(chat, user, $"casino night, ask user {user}")).MessageId);
        }

        await Eventually.PollAsync(() => queues.DepthAsync(Queue), depth => depth == sent.Count, TimeSpan.FromSeconds(60));
        // The outage lasts 20 s, many failed attempts each: all the while the messages stay queued, none is dead-lettered or acted on.
        var outage = Stopwatch.StartNew();
        while (outage.Elapsed < TimeSpan.FromSeconds(20))
        {
            (await queues.DepthAsync(Queue)).Should().Be(sent.Count);
            (await queues.DepthAsync(Queue + "_error")).Should().Be(0);
            (await _world.CallsAsync("deleteMessage", chat)).Should().BeEmpty();
            await Task.Delay(TimeSpan.FromSeconds(1)); // sampling an invariant over the outage, not waiting for a condition
        }

        await _postgres.StartServerAsync();

        await _world.WaitForCallsAsync("deleteMessage", chat, sent.Count);
        await Eventually.PollAsync(() => queues.DepthAsync(Queue), depth => depth == 0, TimeSpan.FromSeconds(60));
        var audit = await Eventually.PollAsync(() => _world.AuditAsync(chat), rows => rows.Count(r => r.Action == "Warn") >= sent.Count, TimeSpan.FromSeconds(30));
        var deletes = await _world.CallsAsync("deleteMessage", chat);
        deletes.Select(d => d.Parameters["message_id"]!.GetValue<long>()).Should().BeEquivalentTo(sent, "each message is deleted exactly once");
        audit.Where(r => r.Action == "DeleteMessage").Select(r => r.UserId).Should().BeEquivalentTo([6101L, 6102L, 6103L, 6104L]);
        audit.Where(r => r.Action == "Warn").Select(r => r.UserId).Should().BeEquivalentTo([6101L, 6102L, 6103L, 6104L]);
        (await queues.DepthAsync(Queue + "_error")).Should().Be(0);
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
