using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Gateway.Locales;
using Atlas.Gateway.RateLimiting;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// Inbound token buckets per user and overall, by tier (normal 1.5/15, high 1/10, crisis 0.5/5 per second), on a fake
/// clock: an over-limit user is told once per episode, further messages are dropped and counted; the tier switches at
/// run time by admin command and by the ops API.
/// </summary>
public sealed class InboundRateLimits : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync(
        "handling-rate",
        new Dictionary<string, string?> { ["Gateway:RateLimits:BurstSeconds"] = "2" },
        services => services.AddKeyedSingleton<TimeProvider>(InboundRateLimiter.ClockKey, _clock));

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task An_over_limit_user_is_told_once_then_dropped_and_counted_until_the_bucket_refills()
    {
        await _gateway.SayAsync(HandlingGateway.AdminId, "/tier crisis", "en");
        (await _gateway.WaitForReplyAsync(HandlingGateway.AdminId, _ => true)).Should().Be(BotTexts.Format(TextKeys.AdminTierSet, English, "crisis"));

        for (var i = 0; i < 4; i++)
        {
            await _gateway.SayAsync(4701, "/help", "en");
        }

        await Eventually.PollAsync(() => Task.FromResult(_gateway.Metrics.Dropped("rate_limited")), n => n >= 3, TimeSpan.FromSeconds(30));
        (await _gateway.WaitForRepliesAsync(4701, 2)).Should().Equal(BotTexts.Get(TextKeys.Help, English), BotTexts.Get(TextKeys.RateLimited, English));
        _gateway.Metrics.Dropped("rate_limited").Should().Be(3);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await _gateway.SayAsync(4701, "/help", "en");
        await _gateway.SayAsync(4701, "/help", "en");

        (await _gateway.WaitForRepliesAsync(4701, 4)).Skip(2).Should().Equal(
            BotTexts.Get(TextKeys.Help, English), BotTexts.Get(TextKeys.RateLimited, English));
        _gateway.Metrics.Dropped("rate_limited").Should().Be(4);
    }

    [Fact]
    public async Task The_overall_bucket_limits_many_users_together()
    {
        await _gateway.SayAsync(HandlingGateway.AdminId, "/tier crisis", "en");
        await _gateway.WaitForRepliesAsync(HandlingGateway.AdminId, 1);

        // Crisis: 5 messages a second overall with 2 s of burst = 10 pass, the 11th user is over the overall limit.
        for (var user = 4710; user < 4721; user++)
        {
            await _gateway.SayAsync(user, "/help", "en");
        }

        await Eventually.PollAsync(() => Task.FromResult(_gateway.Metrics.Dropped("rate_limited")), n => n >= 1, TimeSpan.FromSeconds(30));
        var replies = new List<string>();
        for (var user = 4710; user < 4721; user++)
        {
            replies.AddRange(await _gateway.WaitForRepliesAsync(user, 1));
        }

        replies.Count(r => r == BotTexts.Get(TextKeys.Help, English)).Should().Be(10);
        replies.Count(r => r == BotTexts.Get(TextKeys.RateLimited, English)).Should().Be(1);
        _gateway.Metrics.Dropped("rate_limited").Should().Be(1);
    }

    [Fact]
    public async Task The_ops_api_reads_and_switches_the_tier_and_the_new_limits_apply_at_once()
    {
        (await _gateway.Client.GetFromJsonAsync<TierBody>(new Uri("/admin/rate-limit-tier", UriKind.Relative)))!.Tier.Should().Be("normal");

        using var put = await _gateway.Client.PutAsJsonAsync(new Uri("/admin/rate-limit-tier", UriKind.Relative), new { tier = "HIGH" });
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        (await put.Content.ReadFromJsonAsync<TierBody>())!.Tier.Should().Be("high");
        using (var status = JsonDocument.Parse(await _gateway.Client.GetStringAsync(new Uri("/admin/status", UriKind.Relative))))
        {
            status.RootElement.GetProperty("rateLimitTier").GetString().Should().Be("high");
        }

        // High: 1 message a second per user with 2 s of burst = 2 pass, the third is told.
        for (var i = 0; i < 3; i++)
        {
            await _gateway.SayAsync(4730, "/help", "en");
        }

        (await _gateway.WaitForRepliesAsync(4730, 3)).Should().Equal(
            BotTexts.Get(TextKeys.Help, English), BotTexts.Get(TextKeys.Help, English), BotTexts.Get(TextKeys.RateLimited, English));
    }

    [Fact]
    public async Task The_ops_api_refuses_an_unknown_tier_with_problem_details_and_a_missing_key_with_401()
    {
        using var unknown = await _gateway.Client.PutAsJsonAsync(new Uri("/admin/rate-limit-tier", UriKind.Relative), new { tier = "extreme" });
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        unknown.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("normal");

        using var number = await _gateway.Client.PutAsJsonAsync(new Uri("/admin/rate-limit-tier", UriKind.Relative), new { tier = "2" });
        number.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        using var anonymous = _gateway.CreateClientWithoutKey();
        using var noKey = await anonymous.PutAsJsonAsync(new Uri("/admin/rate-limit-tier", UriKind.Relative), new { tier = "crisis" });
        noKey.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _gateway.Client.GetFromJsonAsync<TierBody>(new Uri("/admin/rate-limit-tier", UriKind.Relative)))!.Tier.Should().Be("normal");
    }

    [Fact]
    public async Task An_admin_sees_the_usage_for_a_bad_tier_and_admins_are_never_limited()
    {
        await _gateway.SayAsync(HandlingGateway.AdminId, "/tier crisis", "en");
        await _gateway.WaitForRepliesAsync(HandlingGateway.AdminId, 1);

        await _gateway.SayAsync(HandlingGateway.AdminId, "/tier purple", "en");
        await _gateway.SayAsync(HandlingGateway.AdminId, "/help", "en");

        var replies = await _gateway.WaitForRepliesAsync(HandlingGateway.AdminId, 3);
        replies[1].Should().Be(BotTexts.Format(TextKeys.AdminTierUsage, English, "crisis"));
        replies[2].Should().Be(BotTexts.Get(TextKeys.Help, English));
        _gateway.Metrics.Dropped("rate_limited").Should().Be(0);
    }

    private sealed record TierBody(string Tier);
}
