using System.Text.Json;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>The admin bot commands are operator actions: each leaves a row in the gateway's ops audit log.</summary>
public sealed class AdminCommandAudit : IAsyncLifetime
{
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync("handling-opsaudit");

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Freeze_and_a_bad_tier_from_the_bot_are_recorded_with_the_telegram_admin_as_actor_and_their_outcomes()
    {
        await _gateway.SayAsync(HandlingGateway.AdminId, "/freeze", "en");
        await _gateway.WaitForRepliesAsync(HandlingGateway.AdminId, 1);
        await _gateway.SayAsync(HandlingGateway.AdminId, "/tier turbo", "en");
        await _gateway.WaitForRepliesAsync(HandlingGateway.AdminId, 2);

        var rows = await Eventually.PollAsync(ExportAsync, r => r.Count >= 2, TimeSpan.FromSeconds(30));

        rows.Select(r => (r.GetProperty("actor").GetString(), r.GetProperty("source").GetString(), r.GetProperty("action").GetString(),
                r.GetProperty("target").GetString(), r.GetProperty("outcome").GetString()))
            .Should().Equal(
                ($"telegram:{HandlingGateway.AdminId}", "bot", "/freeze", "inbound", "succeeded"),
                ($"telegram:{HandlingGateway.AdminId}", "bot", "/tier turbo", "rate-limit-tier", "failed"));
        rows.Should().OnlyContain(r => r.GetProperty("service").GetString() == "gateway" && r.GetProperty("completedAt").ValueKind == JsonValueKind.String);
    }

    private async Task<List<JsonElement>> ExportAsync()
    {
        var text = await _gateway.Client.GetStringAsync(new Uri("/ops/audit", UriKind.Relative));
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }
}
