using System.Net;
using Atlas.Testing;
using Atlas.Workflow.Tests.Support;

namespace Atlas.Workflow.Tests.Parking;

/// <summary>When no token can be had, engine work is parked and applied by itself once the token endpoint is back.</summary>
public sealed class TokenOutage : IAsyncLifetime
{
    private WorkflowWorld _world = null!;

    public async Task InitializeAsync() => _world = await WorkflowWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Work_parked_during_a_token_outage_completes_by_itself_when_the_endpoint_returns()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();
        await WorkflowHttp.WaitDeployedAsync(_world);

        // The cached token is refused and no new one can be had.
        await _world.Camunda.SwitchAsync(tokenEndpointDown: true, rejectTokens: true);
        var (status, parked) = await WorkflowHttp.StartProcessAsync(client, "atlas-appeal-review", new { chatId = -1, userId = 2 }, "appeal-during-outage");
        var (_, ready) = await Eventually.PollAsync(
            () => WorkflowHttp.GetAsync(client, "/readyz"),
            r => r.Body.GetProperty("checks").GetProperty("camunda-token").GetProperty("status").GetString() == "degraded");

        status.Should().Be(HttpStatusCode.Accepted);
        parked.GetProperty("error").GetString().Should().Contain("token endpoint");
        ready.GetProperty("checks").GetProperty("camunda").GetProperty("status").GetString().Should().Be("healthy", "the engine itself is up");

        await _world.Camunda.SwitchAsync(tokenEndpointDown: false, rejectTokens: false);
        var (_, applied) = await Eventually.PollAsync(
            () => WorkflowHttp.GetAsync(client, "/workflow/parked?state=applied"),
            r => r.Body.GetArrayLength() == 1, TimeSpan.FromSeconds(30));

        applied[0].GetProperty("operationId").GetString().Should().Be("appeal-during-outage");
        (await _world.Camunda.SearchInstancesAsync(new { businessId = "appeal-during-outage" })).GetArrayLength().Should().Be(1);
        var (_, waiting) = await WorkflowHttp.GetAsync(client, "/workflow/parked?state=parked");
        waiting.GetArrayLength().Should().Be(0);
    }
}
