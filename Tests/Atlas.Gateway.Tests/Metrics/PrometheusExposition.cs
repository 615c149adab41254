using System.Net.Http.Json;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Npgsql;

namespace Atlas.Gateway.Tests.Metrics;

/// <summary>
/// The gateway's metrics reach <c>/metrics</c> under the names the runbooks and alert rules use, with their labels,
/// after real traffic: a handled command, a failed handler, a flood wait, a webhook POST and the outbound queue.
/// </summary>
[Collection(ExporterIsolation.Name)]
public sealed class PrometheusExposition : IAsyncLifetime
{
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync("metrics-names");

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Exposes_the_runbook_metric_names_with_their_labels()
    {
        await _gateway.Telegram.AddFaultAsync(_gateway.Token, new SandboxFault("sendMessage", 429, RetryAfter: 1, Count: 1));
        await _gateway.SayAsync(6101, "/help");
        await _gateway.Telegram.WaitForActionsAsync(
            _gateway.Token, actions => actions.Any(a => a.Ok && a.Parameters["chat_id"]?.GetValue<long>() == 6101), "sendMessage",
            timeout: TimeSpan.FromSeconds(30));

        await using (var connection = new NpgsqlConnection(_gateway.Resources.Database))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP TABLE group_memberships", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await _gateway.SayAsync(6102, "/groups");
        using var noSecret = _gateway.CreateClientWithoutKey();
        using var webhook = await noSecret.PostAsync(new Uri("/telegram/webhook", UriKind.Relative), JsonContent.Create(new { update_id = "not a number" }));

        var text = await Eventually.PollAsync(
            () => noSecret.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            metrics => metrics.Contains("luka_handlers_failure_total{", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30));

        text.Should().Contain("luka_updates_total{").And.Contain("type=\"message\"");
        text.Should().MatchRegex("luka_handlers_success_total\\{[^}]*handler=\"help\"");
        text.Should().MatchRegex("luka_handlers_failure_total\\{[^}]*handler=\"groups\"");
        text.Should().MatchRegex("(?m)^telegram_flood_wait_total(\\{[^}]*\\})? [1-9]");
        text.Should().Contain("luka_outbound_queue_depth");
        text.Should().Contain("telegram_webhook_request_duration_seconds_bucket{");
        text.Should().NotContain(_gateway.Token, "metrics never carry the bot token");
    }
}
