using System.ComponentModel.DataAnnotations;
using Atlas.Gateway.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Gateway.Tests.Handling.Units;

/// <summary>Each tier's numbers come from configuration (the seed's as defaults), and the overall limit can be turned off.</summary>
public sealed class RateLimitTierNumbers
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public void The_defaults_are_the_seeds_numbers()
    {
        var options = new RateLimitOptions();

        options.LimitsFor(RateLimitTier.Normal).Should().Be(new TierLimits(1.5, 15));
        options.LimitsFor(RateLimitTier.High).Should().Be(new TierLimits(1, 10));
        options.LimitsFor(RateLimitTier.Crisis).Should().Be(new TierLimits(0.5, 5));
    }

    [Fact]
    public void A_tier_is_configured_number_by_number_and_keeps_the_defaults_it_does_not_name()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:Normal:Overall"] = "0",
            ["Gateway:RateLimits:Crisis:PerUser"] = "0.2",
        });

        options.LimitsFor(RateLimitTier.Normal).Should().Be(new TierLimits(1.5, 0));
        options.LimitsFor(RateLimitTier.High).Should().Be(new TierLimits(1, 10));
        options.LimitsFor(RateLimitTier.Crisis).Should().Be(new TierLimits(0.2, 5));
    }

    [Fact]
    public void Without_an_overall_limit_any_number_of_users_pass_and_each_keeps_their_own_limit()
    {
        var limiter = Limiter(new RateLimitOptions { Normal = new TierLimits(1.5, 0) });

        var firsts = Enumerable.Range(1, 500).Select(user => limiter.Check(user, RateLimitTier.Normal)).ToList();
        var burst = Enumerable.Range(0, 3).Select(_ => limiter.Check(7, RateLimitTier.Normal).Allowed).ToList();

        firsts.Should().OnlyContain(d => d.Allowed);
        burst.Should().Equal(true, true, false);
    }

    [Fact]
    public void The_configured_overall_limit_applies_across_users()
    {
        var limiter = Limiter(new RateLimitOptions { BurstSeconds = 1, High = new TierLimits(1, 4) });

        var decisions = Enumerable.Range(1, 6).Select(user => limiter.Check(user, RateLimitTier.High)).ToList();

        decisions.Select(d => d.Allowed).Should().Equal(true, true, true, true, false, false);
        decisions[4].Scope.Should().Be("overall");
    }

    [Fact]
    public void Impossible_numbers_are_refused_with_their_configuration_path()
    {
        var options = new RateLimitOptions { High = new TierLimits(0, 10), Crisis = new TierLimits(0.5, -1) };
        var results = new List<ValidationResult>();

        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true).Should().BeFalse();

        results.Select(r => r.ErrorMessage).Should().BeEquivalentTo(
            "Gateway:RateLimits:High:PerUser must be more than 0 and at most 1000 messages per second.",
            "Gateway:RateLimits:Crisis:Overall must be 0 (no overall limit) to 1000000 messages per second.");
    }

    private InboundRateLimiter Limiter(RateLimitOptions settings)
    {
        var options = Options.Create(settings);
        // The tier store is never asked here: every check passes its tier explicitly.
        return new InboundRateLimiter(_clock, new RateLimitTierStore(null!, options), options);
    }

    private static RateLimitOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new RateLimitOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(RateLimitOptions.SectionName).Bind(options);
        return options;
    }
}
