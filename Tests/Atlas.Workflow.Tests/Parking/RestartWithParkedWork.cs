using System.Net;
using Atlas.Testing;
using Atlas.Workflow.Tests.Support;

namespace Atlas.Workflow.Tests.Parking;

/// <summary>Parked work lives in PostgreSQL: a restart loses none of it, and none of it is applied twice.</summary>
public sealed class RestartWithParkedWork : IAsyncLifetime
{
    private WorkflowWorld _world = null!;

    public async Task InitializeAsync() => _world = await WorkflowWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Work_parked_before_a_restart_is_applied_once_by_the_next_instance()
    {
        var keys = Enumerable.Range(1, 5).Select(i => $"restart-{i}").ToList();
        await using (var first = _world.StartService())
        {
            using var client = first.CreateClient();
            await WorkflowHttp.WaitDeployedAsync(_world);
            await _world.Camunda.SwitchAsync(engineDown: true);
            foreach (var key in keys)
            {
                var (status, _) = await WorkflowHttp.StartProcessAsync(client, "atlas-appeal-review", new { chatId = -1, userId = 3 }, key);
                status.Should().Be(HttpStatusCode.Accepted);
            }
        }

        await _world.Camunda.SwitchAsync(engineDown: false);
        await using var second = _world.StartService();
        using var again = second.CreateClient();
        await Eventually.PollAsync(() => WorkflowHttp.GetAsync(again, "/workflow/parked?state=applied"), r => r.Body.GetArrayLength() == keys.Count, TimeSpan.FromSeconds(30));

        foreach (var key in keys)
        {
            (await _world.Camunda.SearchInstancesAsync(new { businessId = key })).GetArrayLength().Should().Be(1, $"{key} was started exactly once");
        }

        var (repeat, body) = await WorkflowHttp.StartProcessAsync(again, "atlas-appeal-review", new { chatId = -1, userId = 3 }, keys[0]);
        repeat.Should().Be(HttpStatusCode.OK);
        body.GetProperty("status").GetString().Should().Be("alreadyapplied");
    }
}
