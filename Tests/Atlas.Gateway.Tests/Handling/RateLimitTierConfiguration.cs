using System.Net.Http.Json;
using Atlas.Gateway.Tests.Support;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>The tier a gateway starts with comes from RATE_LIMIT (the seed's name) until an admin switches it.</summary>
public sealed class RateLimitTierConfiguration
{
    [Fact]
    public async Task The_seed_RATE_LIMIT_setting_is_the_tier_in_force_at_start()
    {
        await using var gateway = await HandlingGateway.StartAsync(
            "handling-tiercfg", new Dictionary<string, string?> { ["RATE_LIMIT"] = "crisis" });

        var tier = await gateway.Client.GetFromJsonAsync<TierBody>(new Uri("/admin/rate-limit-tier", UriKind.Relative));

        tier!.Tier.Should().Be("crisis");
    }

    private sealed record TierBody(string Tier);
}
