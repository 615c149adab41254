using Atlas.Gateway.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Gateway.Tests.Handling.Units;

/// <summary>The token buckets on a fake clock: tier sizes, refill, episodes, and a tier switch applied to existing buckets.</summary>
public sealed class InboundRateLimiterBuckets
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly InboundRateLimiter _limiter;

    public InboundRateLimiterBuckets()
    {
        var options = Options.Create(new RateLimitOptions { BurstSeconds = 2 });
        // The tier store is never asked here: every check passes its tier explicitly.
        _limiter = new InboundRateLimiter(_clock, new RateLimitTierStore(null!, options), options);
    }

    [Theory]
    [InlineData(RateLimitTier.Normal, 3)]
    [InlineData(RateLimitTier.High, 2)]
    [InlineData(RateLimitTier.Crisis, 1)]
    public void A_user_gets_the_tier_rate_times_the_burst_then_is_limited_once_per_episode(RateLimitTier tier, int burst)
    {
        for (var i = 0; i < burst; i++)
        {
            _limiter.Check(1, tier).Allowed.Should().BeTrue();
        }

        var first = _limiter.Check(1, tier);
        var second = _limiter.Check(1, tier);

        first.Should().Be(new RateLimitDecision(false, "user", true, tier));
        second.Should().Be(new RateLimitDecision(false, "user", false, tier));
    }

    [Theory]
    [InlineData(RateLimitTier.Normal, 1.5)]
    [InlineData(RateLimitTier.High, 1.0)]
    [InlineData(RateLimitTier.Crisis, 0.5)]
    public void The_bucket_refills_at_the_tier_rate_and_a_pass_ends_the_episode(RateLimitTier tier, double perSecond)
    {
        while (_limiter.Check(2, tier).Allowed)
        {
        }

        _clock.Advance(TimeSpan.FromSeconds(0.9 / perSecond));
        _limiter.Check(2, tier).Allowed.Should().BeFalse();
        _clock.Advance(TimeSpan.FromSeconds(0.2 / perSecond));
        _limiter.Check(2, tier).Allowed.Should().BeTrue();
        _limiter.Check(2, tier).FirstInEpisode.Should().BeTrue("a new episode starts after a message passed");
    }

    [Theory]
    [InlineData(RateLimitTier.Normal, 30)]
    [InlineData(RateLimitTier.High, 20)]
    [InlineData(RateLimitTier.Crisis, 10)]
    public void Many_users_together_meet_the_overall_limit(RateLimitTier tier, int burst)
    {
        for (var user = 100; user < 100 + burst; user++)
        {
            _limiter.Check(user, tier).Allowed.Should().BeTrue();
        }

        _limiter.Check(999, tier).Should().Be(new RateLimitDecision(false, "overall", true, tier));
    }

    [Fact]
    public void A_tier_switch_shrinks_buckets_already_in_use()
    {
        _limiter.Check(3, RateLimitTier.Normal).Allowed.Should().BeTrue();

        _limiter.Check(3, RateLimitTier.Crisis).Allowed.Should().BeTrue("one token of the crisis capacity is left");
        _limiter.Check(3, RateLimitTier.Crisis).Allowed.Should().BeFalse();
    }

    [Theory]
    [InlineData("normal", true, RateLimitTier.Normal)]
    [InlineData(" HIGH ", true, RateLimitTier.High)]
    [InlineData("Crisis", true, RateLimitTier.Crisis)]
    [InlineData("1", false, RateLimitTier.Normal)]
    [InlineData("extreme", false, RateLimitTier.Normal)]
    [InlineData(null, false, RateLimitTier.Normal)]
    public void Tier_names_parse_by_name_only(string? text, bool parses, RateLimitTier expected)
    {
        TierLimits.TryParse(text, out var tier).Should().Be(parses);
        if (parses)
        {
            tier.Should().Be(expected);
        }
    }
}
