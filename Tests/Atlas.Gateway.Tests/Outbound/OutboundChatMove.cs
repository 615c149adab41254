using Atlas.Gateway.Outbound;
using Atlas.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>
/// A group's queue moved to its supergroup, straight on the store (no sender running, so the interleaving is the
/// test's): the supergroup may have a send in flight, and that send's outcome must still land on its own head.
/// </summary>
public sealed class OutboundChatMove : IAsyncLifetime
{
    private const long Group = -6001;
    private const long Supergroup = -1_006_001;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ConnectionMultiplexer _redis = null!;
    private IDatabase _db = null!;
    private OutboundStore _store = null!;

    public async Task InitializeAsync()
    {
        var servers = await RealServers.Shared;
        _redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis);
        _db = _redis.GetDatabase().WithKeyPrefix(RealServers.NewKeyPrefix("outbound-move"));
        _store = new OutboundStore(_db, Options.Create(new OutboundOptions()), _time);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_queue_moved_while_the_supergroup_sends_goes_behind_the_message_in_flight()
    {
        var none = CancellationToken.None;
        await _store.EnqueueAsync(Supergroup, "super:1", ["s1", "s2"], none);
        (await _store.ClaimDueAsync(10, none)).Chats.Should().Equal(Supergroup);
        var inFlight = await _store.PeekAsync(Supergroup, none);
        await _store.EnqueueAsync(Group, "group:1", ["g1", "g2"], none);

        (await _store.MoveChatAsync(Group, Supergroup, none)).Should().Be(2);
        var depth = await _store.CompleteAsync(Supergroup, inFlight!, _time.GetUtcNow(), countInGroupWindow: false, deadLetter: null, none);

        depth.Should().Be(3, "the send in flight completes against the head it was sent as");
        (await _db.ListRangeAsync(OutboundKeys.Chat(Supergroup))).Select(v => v.ToString()).Should().Equal("g1", "g2", "s2");
        (await _store.ScheduledAtAsync(Supergroup, none)).Should().Be(Ms(_time.GetUtcNow()), "the supergroup is due again at once, not after the claim's lease");
        (await _store.ScheduledAtAsync(Group, none)).Should().BeNull();
    }

    [Fact]
    public async Task A_queue_moved_to_an_idle_supergroup_keeps_its_order_and_is_due_at_once()
    {
        var none = CancellationToken.None;
        await _store.EnqueueAsync(Group, "group:1", ["g1", "g2", "g3"], none);

        (await _store.MoveChatAsync(Group, Supergroup, none)).Should().Be(3);

        (await _db.ListRangeAsync(OutboundKeys.Chat(Supergroup))).Select(v => v.ToString()).Should().Equal("g1", "g2", "g3");
        (await _store.ScheduledAtAsync(Supergroup, none)).Should().Be(Ms(_time.GetUtcNow()));
        (await _store.ScheduledAtAsync(Group, none)).Should().BeNull();
        (await _store.MoveChatAsync(Group, Supergroup, none)).Should().Be(0, "a second move (the other service message) finds nothing");
    }

    private static DateTimeOffset Ms(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
