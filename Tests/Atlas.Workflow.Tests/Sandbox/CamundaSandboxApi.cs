using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Testing.Sandbox;
using Atlas.Workflow.Tests.Support;

namespace Atlas.Workflow.Tests.Sandbox;

/// <summary>The Camunda stand-in speaks the v2 API's shapes: tokens, string keys, problem details, pages, long polls, switches.</summary>
public sealed class CamundaSandboxApi : IAsyncLifetime
{
    private static readonly string[] Moderators = ["moderators"];
    private SandboxHost _sandbox = null!;
    private HttpClient _http = null!;
    private CamundaControl _control = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync();
        _http = new HttpClient { BaseAddress = _sandbox.BaseUrl };
        _control = new CamundaControl(_http);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Token_endpoint_issues_a_bearer_token_for_client_credentials_and_refuses_a_wrong_secret()
    {
        var good = await TokenAsync("sandbox-secret");
        good.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await good.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("token_type").GetString().Should().Be("Bearer");
        body.GetProperty("expires_in").GetInt64().Should().Be(3600);
        body.GetProperty("access_token").GetString().Should().NotBeNullOrEmpty();

        var bad = await TokenAsync("wrong");
        bad.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("invalid_client");
    }

    [Fact]
    public async Task Engine_calls_without_credentials_get_a_401_problem()
    {
        using var response = await _http.GetAsync(new Uri("camunda/v2/topology", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be(401);
        problem.GetProperty("title").GetString().Should().Be("UNAUTHORIZED");
    }

    [Fact]
    public async Task Starting_a_configured_process_creates_its_user_task_with_string_keys_and_a_page_envelope()
    {
        var token = await BearerAsync();
        await _control.ConfigureProcessAsync("review", new { name = "Review", steps = new[] { new { kind = "userTask", elementId = "check", name = "Check it", candidateGroups = Moderators } } });

        var created = await PostAsync(token, "camunda/v2/process-instances", new { processDefinitionId = "review", variables = new { a = 1 } });
        created.GetProperty("processInstanceKey").ValueKind.Should().Be(JsonValueKind.String);
        var instanceKey = created.GetProperty("processInstanceKey").GetString();

        var page = await PostAsync(token, "camunda/v2/user-tasks/search", new { filter = new { processInstanceKey = instanceKey }, page = new { limit = 10 } });
        var task = page.GetProperty("items").EnumerateArray().Single();
        task.GetProperty("name").GetString().Should().Be("Check it");
        task.GetProperty("state").GetString().Should().Be("CREATED");
        task.GetProperty("userTaskKey").ValueKind.Should().Be(JsonValueKind.String);
        task.GetProperty("candidateGroups").EnumerateArray().Select(g => g.GetString()).Should().Equal("moderators");
        page.GetProperty("page").GetProperty("totalItems").GetInt32().Should().Be(1);
    }

    [Theory]
    [InlineData("user-tasks", """{"filter":{"state":"OPEN"}}""", "filter.state")]
    [InlineData("user-tasks", """{"filter":{"state":{"$eq":"created"}}}""", "filter.state")]
    [InlineData("process-instances", """{"filter":{"state":"RUNNING"}}""", "filter.state")]
    [InlineData("user-tasks", """{"page":{"from":-1}}""", "page.from")]
    [InlineData("user-tasks", """{"page":{"limit":0}}""", "page.limit")]
    [InlineData("process-instances", """{"page":{"limit":10001}}""", "page.limit")]
    public async Task A_search_with_a_state_outside_the_enum_or_a_page_out_of_bounds_is_a_400_naming_the_field(string what, string body, string field)
    {
        var token = await BearerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"camunda/v2/{what}/search") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().Should().Be("INVALID_ARGUMENT");
        problem.GetProperty("detail").GetString().Should().Contain(field);
    }

    [Fact]
    public async Task Completing_a_task_twice_answers_a_404_problem_with_camundas_title()
    {
        var token = await BearerAsync();
        await _control.ConfigureProcessAsync("once", new { steps = new[] { new { kind = "userTask", elementId = "t", name = "T" } } });
        var key = (await PostAsync(token, "camunda/v2/process-instances", new { processDefinitionId = "once" })).GetProperty("processInstanceKey").GetString();
        var taskKey = (await PostAsync(token, "camunda/v2/user-tasks/search", new { filter = new { processInstanceKey = key } }))
            .GetProperty("items")[0].GetProperty("userTaskKey").GetString();

        using var first = await SendAsync(token, HttpMethod.Post, $"camunda/v2/user-tasks/{taskKey}/completion", new { variables = new { ok = true } });
        using var second = await SendAsync(token, HttpMethod.Post, $"camunda/v2/user-tasks/{taskKey}/completion", new { });

        first.StatusCode.Should().Be(HttpStatusCode.NoContent);
        second.StatusCode.Should().Be(HttpStatusCode.NotFound);
        second.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().Should().Be("NOT_FOUND");
        (await _control.InstanceAsync(key!)).GetProperty("state").GetString().Should().Be("COMPLETED");
    }

    [Fact]
    public async Task Job_activation_long_polls_until_a_job_arrives()
    {
        var token = await BearerAsync();
        await _control.ConfigureProcessAsync("jobs", new { steps = new[] { new { kind = "job", elementId = "j", type = "test.poll" } } });
        var poll = PostAsync(token, "camunda/v2/jobs/activation", new { type = "test.poll", worker = "w", timeout = 60000, maxJobsToActivate = 5, requestTimeout = 20000 });
        poll.IsCompleted.Should().BeFalse();

        await PostAsync(token, "camunda/v2/process-instances", new { processDefinitionId = "jobs", variables = new { x = "y" } });

        var jobs = (await poll.WaitAsync(TimeSpan.FromSeconds(15))).GetProperty("jobs");
        var job = jobs.EnumerateArray().Single();
        job.GetProperty("type").GetString().Should().Be("test.poll");
        job.GetProperty("jobKey").ValueKind.Should().Be(JsonValueKind.String);
        job.GetProperty("variables").GetProperty("x").GetString().Should().Be("y");
    }

    [Fact]
    public async Task Switches_take_the_engine_and_the_token_endpoint_down_and_reject_tokens()
    {
        var token = await BearerAsync();
        await _control.SwitchAsync(engineDown: true);
        using (var down = await SendAsync(token, HttpMethod.Get, "camunda/v2/topology", null))
        {
            down.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            down.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }

        using (var status = await _http.GetAsync(new Uri("camunda/v2/status", UriKind.Relative)))
        {
            status.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        await _control.SwitchAsync(engineDown: false, rejectTokens: true, tokenEndpointDown: true);
        using (var rejected = await SendAsync(token, HttpMethod.Get, "camunda/v2/topology", null))
        {
            rejected.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await TokenAsync("sandbox-secret")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_deployment_of_bpmn_registers_its_process_ids()
    {
        var token = await BearerAsync();
        var process = await DeployAsync(token, "p1.bpmn", """<bpmn:definitions xmlns:bpmn="x"><bpmn:process id="p1" name="P one" isExecutable="true"/></bpmn:definitions>""");

        process.GetProperty("processDefinitionId").GetString().Should().Be("p1");
        process.GetProperty("processDefinitionVersion").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Deploying_an_unchanged_resource_again_keeps_its_version_and_a_changed_one_makes_the_next()
    {
        var token = await BearerAsync();
        const string First = """<bpmn:definitions xmlns:bpmn="x"><bpmn:process id="p2" name="P two" isExecutable="true"/></bpmn:definitions>""";
        var deployed = await DeployAsync(token, "p2.bpmn", First);

        var again = await DeployAsync(token, "p2.bpmn", First);
        again.GetProperty("processDefinitionVersion").GetInt32().Should().Be(1);
        again.GetProperty("processDefinitionKey").GetString().Should().Be(deployed.GetProperty("processDefinitionKey").GetString());

        var changed = await DeployAsync(token, "p2.bpmn", First.Replace("P two", "P two, revised", StringComparison.Ordinal));
        changed.GetProperty("processDefinitionVersion").GetInt32().Should().Be(2);
        changed.GetProperty("processDefinitionKey").GetString().Should().NotBe(deployed.GetProperty("processDefinitionKey").GetString());

        // The same content under another resource name is a new version too, as in Zeebe.
        (await DeployAsync(token, "renamed.bpmn", First)).GetProperty("processDefinitionVersion").GetInt32().Should().Be(3);
    }

    private async Task<JsonElement> DeployAsync(string token, string resourceName, string bpmn)
    {
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(bpmn));
        form.Add(file, "resources", resourceName);
        using var request = new HttpRequestMessage(HttpMethod.Post, "camunda/v2/deployments") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("deployments")[0].GetProperty("processDefinition").Clone();
    }

    private async Task<HttpResponseMessage> TokenAsync(string secret)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "atlas-workflow", ["client_secret"] = secret, ["audience"] = "orchestration-api",
        });
        return await _http.PostAsync(new Uri("camunda/oauth/token", UriKind.Relative), form);
    }

    private async Task<string> BearerAsync()
    {
        using var response = await TokenAsync("sandbox-secret");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private async Task<JsonElement> PostAsync(string token, string path, object body)
    {
        using var response = await SendAsync(token, HttpMethod.Post, path, body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<HttpResponseMessage> SendAsync(string token, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }
}
