using Atlas.Gateway.Outbound;
using Atlas.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>
/// A claim on the store says, in the same round trip, when the sender must look again: the earliest time left on the
/// schedule after the claim (a chat still due, or the end of a claim's lease), or none when nothing is scheduled.
/// </summary>
public sealed class OutboundClaims : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    private readonly OutboundOptions _options = new();
    private ConnectionMultiplexer _redis = null!;
    private OutboundStore _store = null!;

    public async Task InitializeAsync()
    {
        var servers = await RealServers.Shared;
        _redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis);
        var db = _redis.GetDatabase().WithKeyPrefix(RealServers.NewKeyPrefix("outbound-claims"));
        _store = new OutboundStore(db, Options.Create(_options), _time);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_claim_returns_the_claimed_chats_and_when_the_schedule_is_due_next()
    {
        var none = CancellationToken.None;
        var now = _time.GetUtcNow();
        (await _store.ClaimDueAsync(10, none)).Should().BeEquivalentTo(new DueChats([], null), "nothing is scheduled");

        await _store.EnqueueAsync(-7001, "a:1", ["a"], none);
        await _store.EnqueueAsync(-7002, "b:1", ["b"], none);

        var first = await _store.ClaimDueAsync(1, none);
        first.Chats.Should().ContainSingle();
        first.NextDue.Should().Be(now, "the other chat is still due");

        var second = await _store.ClaimDueAsync(10, none);
        second.Chats.Should().ContainSingle().Which.Should().NotBe(first.Chats[0]);
        second.NextDue.Should().Be(now + _options.ClaimLease, "both chats are claimed: the first lease to end is next");
    }
}
