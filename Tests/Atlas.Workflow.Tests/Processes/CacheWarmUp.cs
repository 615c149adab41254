using System.Net;
using Atlas.Workflow.Tests.Support;

namespace Atlas.Workflow.Tests.Processes;

/// <summary>
/// <c>POST /workflow/caches/warm</c>, the upgrade playbook's "warm workflow caches": both shipped processes in the
/// definition cache, again when repeated, and a 503 problem while the engine is down.
/// </summary>
public sealed class CacheWarmUp : IAsyncLifetime
{
    private WorkflowWorld _world = null!;

    public async Task InitializeAsync() => _world = await WorkflowWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Warming_caches_both_processes_and_can_be_repeated()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();

        var (status, first) = await WorkflowHttp.PostAsync(client, "/workflow/caches/warm");
        var (again, second) = await WorkflowHttp.PostAsync(client, "/workflow/caches/warm");

        status.Should().Be(HttpStatusCode.OK);
        first.GetProperty("warm").GetBoolean().Should().BeTrue();
        first.GetProperty("processes").EnumerateArray().Select(p => p.GetProperty("processId").GetString())
            .Should().BeEquivalentTo("atlas-onboarding", "atlas-appeal-review");
        again.Should().Be(HttpStatusCode.OK);
        second.GetProperty("warm").GetBoolean().Should().BeTrue();
        Versions(second).Should().Equal(Versions(first), "the engine keeps the version of a process deployed again unchanged");
    }

    private static Dictionary<string, int> Versions(System.Text.Json.JsonElement body) =>
        body.GetProperty("processes").EnumerateArray().ToDictionary(p => p.GetProperty("processId").GetString()!, p => p.GetProperty("version").GetInt32());

    [Fact]
    public async Task While_the_engine_is_down_warming_answers_503_with_the_reason()
    {
        await using var service = _world.StartService();
        using var client = service.CreateClient();
        await _world.Camunda.SwitchAsync(engineDown: true);
        try
        {
            var (status, problem) = await WorkflowHttp.PostAsync(client, "/workflow/caches/warm");

            status.Should().Be(HttpStatusCode.ServiceUnavailable);
            problem.GetProperty("title").GetString().Should().Be("Camunda unreachable");
            problem.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
        }
        finally
        {
            await _world.Camunda.SwitchAsync(engineDown: false);
        }
    }
}
