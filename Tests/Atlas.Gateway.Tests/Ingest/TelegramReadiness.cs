using System.Net;
using System.Text.Json;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Ingest;

/// <summary>/readyz carries a "telegram" entry from a cached getMe.</summary>
public sealed class TelegramReadiness
{
    [Fact]
    public async Task Readyz_shows_telegram_healthy_with_the_sandbox_and_unhealthy_once_it_is_gone()
    {
        var sandbox = await SandboxHost.StartAsync();
        var bot = await sandbox.Telegram.CreateBotAsync();
        var resources = await IsolatedResources.CreateAsync("ingestready");
        await using var gateway = await IngestGateway.StartAsync(resources, sandbox, bot.Token);

        var healthy = await Eventually.PollAsync(() => TelegramEntryAsync(gateway), e => e.Status == "healthy" && e.Code == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        healthy.Code.Should().Be(HttpStatusCode.OK);

        await sandbox.DisposeAsync();

        var down = await Eventually.PollAsync(() => TelegramEntryAsync(gateway), e => e.Status == "unhealthy", TimeSpan.FromSeconds(30));
        down.Code.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_failed_getMe_is_asked_again_soon_so_readiness_returns_when_telegram_answers()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var token = TelegramBotToken.Create();
        var resources = await IsolatedResources.CreateAsync("ingestreadyback");
        await using var gateway = await IngestGateway.StartAsync(resources, sandbox, token, new Dictionary<string, string?>
        {
            // Successes are trusted long, failures briefly: the check must not keep a failure for the success window.
            ["Telegram:ReachabilityCacheDuration"] = "00:10:00",
            ["Telegram:ReachabilityFailureCacheDuration"] = "00:00:00.500",
        });

        var unknown = await Eventually.PollAsync(() => TelegramEntryAsync(gateway), e => e.Status is not null, TimeSpan.FromSeconds(30));
        unknown.Status.Should().Be("unhealthy", "the Sandbox does not know the token yet, so getMe answers 401");

        await sandbox.Telegram.CreateBotAsync(token, "atlas_late_bot", "Atlas");

        var back = await Eventually.PollAsync(() => TelegramEntryAsync(gateway), e => e.Status == "healthy", TimeSpan.FromSeconds(30));
        back.Status.Should().Be("healthy");
    }

    private static async Task<(HttpStatusCode Code, string? Status)> TelegramEntryAsync(IngestGateway gateway)
    {
        using var response = await gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var status = json.RootElement.GetProperty("checks").TryGetProperty("telegram", out var telegram)
            ? telegram.GetProperty("status").GetString()
            : null;
        return (response.StatusCode, status);
    }
}
