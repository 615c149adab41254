using System.Net;
using System.Net.Http.Json;
using Atlas.Workflow.Tests.Support;

namespace Atlas.Workflow.Tests.Operators;

/// <summary>Every <c>/workflow/*</c> endpoint needs the ops key: 401 without or with a wrong one, 403 while none is configured.</summary>
public sealed class OpsKeyGuard : IAsyncLifetime
{
    private static readonly (HttpMethod Method, string Path)[] Endpoints =
    [
        (HttpMethod.Get, "/workflow/user-tasks"),
        (HttpMethod.Post, "/workflow/user-tasks/123/assignment"),
        (HttpMethod.Delete, "/workflow/user-tasks/123/assignee"),
        (HttpMethod.Post, "/workflow/user-tasks/123/completion"),
        (HttpMethod.Post, "/workflow/process-instances"),
        (HttpMethod.Get, "/workflow/parked"),
        (HttpMethod.Post, "/workflow/parked/resume-all"),
        (HttpMethod.Post, "/workflow/parked/op-1/resume"),
        (HttpMethod.Delete, "/workflow/parked/op-1"),
        (HttpMethod.Post, "/workflow/caches/warm"),
    ];

    private WorkflowWorld _world = null!;

    public async Task InitializeAsync() => _world = await WorkflowWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Calls_without_the_key_or_with_a_wrong_one_get_401_problem_details_and_the_right_key_passes()
    {
        await using var service = _world.StartService();
        using var anonymous = service.CreateAnonymousClient();
        using var wrong = service.CreateAnonymousClient();
        wrong.DefaultRequestHeaders.Add("X-Admin-Key", "not-the-key");
        using var operator_ = service.CreateClient();

        foreach (var (method, path) in Endpoints)
        {
            var (status, problem) = await SendAsync(anonymous, method, path);
            var (wrongStatus, _) = await SendAsync(wrong, method, path);
            status.Should().Be(HttpStatusCode.Unauthorized, "{0} {1} needs the key", method, path);
            problem.Should().Contain("X-Admin-Key");
            wrongStatus.Should().Be(HttpStatusCode.Unauthorized, "{0} {1} needs the right key", method, path);
        }

        var (listed, _) = await SendAsync(operator_, HttpMethod.Get, "/workflow/parked");
        var (resumed, body) = await SendAsync(operator_, HttpMethod.Post, "/workflow/parked/resume-all");
        listed.Should().Be(HttpStatusCode.OK);
        resumed.Should().Be(HttpStatusCode.OK);
        body.Should().Contain("\"applied\":0");
    }

    [Fact]
    public async Task Without_a_configured_key_the_endpoints_answer_403_never_open()
    {
        await using var service = _world.StartService(extra: new Dictionary<string, string?> { ["Workflow:OpsApiKey"] = "" });
        using var client = service.CreateClient();

        foreach (var (method, path) in Endpoints)
        {
            var (status, problem) = await SendAsync(client, method, path);
            status.Should().Be(HttpStatusCode.Forbidden, "{0} {1} stays closed without a key", method, path);
            problem.Should().Contain("Workflow:OpsApiKey");
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
