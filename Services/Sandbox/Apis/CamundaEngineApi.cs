using System.Text.Json.Nodes;
using Atlas.Sandbox.Camunda;
using Microsoft.AspNetCore.Mvc;

namespace Atlas.Sandbox.Apis;

/// <summary>
/// The Camunda 8 Orchestration Cluster REST API v2 stand-in under <c>/camunda/v2</c> (so the client's base address is
/// <c>/camunda</c>), and its OAuth token endpoint at <c>/camunda/oauth/token</c>. Only the operations Atlas uses.
/// </summary>
internal static class CamundaEngineApi
{
    public static RouteGroupBuilder MapCamundaEngineApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/camunda/oauth/token", IssueTokenAsync).WithTags("Camunda Sandbox").DisableAntiforgery();
        app.MapGet("/camunda/v2/status", Status).WithTags("Camunda Sandbox");

        var v2 = app.MapGroup("/camunda/v2").WithTags("Camunda Sandbox").DisableAntiforgery().AddEndpointFilter(GuardAsync);
        v2.MapGet("/topology", Topology);
        v2.MapPost("/deployments", DeployAsync);
        v2.MapPost("/process-instances", (CamundaEngine engine, [FromBody] JsonObject body) =>
            Results.Json(CamundaJson.Created(engine.Start(Required(body, "processDefinitionId"), body["variables"] as JsonObject, body["businessId"]?.GetValue<string>()))));
        v2.MapPost("/process-instances/search", (CamundaEngine engine, [FromBody] JsonObject? body) => SearchInstances(engine, body));
        v2.MapPost("/process-instances/{key}/cancellation", (CamundaEngine engine, string key) => { engine.Cancel(key); return Results.NoContent(); });
        v2.MapPost("/user-tasks/search", (CamundaEngine engine, [FromBody] JsonObject? body) => SearchTasks(engine, body));
        v2.MapGet("/user-tasks/{key}", (CamundaEngine engine, string key) => Results.Json(CamundaJson.Task(engine.Task(key))));
        v2.MapPost("/user-tasks/{key}/assignment", (CamundaEngine engine, string key, [FromBody] JsonObject body) =>
        {
            engine.Assign(key, Required(body, "assignee"), body["allowOverride"]?.GetValue<bool>() ?? true);
            return Results.NoContent();
        });
        v2.MapDelete("/user-tasks/{key}/assignee", (CamundaEngine engine, string key) => { engine.Assign(key, null, true); return Results.NoContent(); });
        v2.MapPost("/user-tasks/{key}/completion", (CamundaEngine engine, string key, [FromBody] JsonObject? body) =>
        {
            engine.CompleteTask(key, body?["variables"] as JsonObject);
            return Results.NoContent();
        });
        v2.MapPost("/messages/publication", (CamundaEngine engine, [FromBody] JsonObject body) =>
        {
            var key = engine.Publish(Required(body, "name"), body["correlationKey"]?.GetValue<string>(), body["messageId"]?.GetValue<string>(), body["variables"] as JsonObject);
            return Results.Json(new JsonObject { ["tenantId"] = CamundaJson.TenantId, ["messageKey"] = key });
        });
        v2.MapPost("/messages/correlation", (CamundaEngine engine, [FromBody] JsonObject body) =>
        {
            var name = Required(body, "name");
            var instance = engine.Correlate(name, body["correlationKey"]?.GetValue<string>(), body["variables"] as JsonObject)
                ?? throw CamundaProblem.NotFound($"Expected to find subscription for message with name '{name}', but none was found.");
            return Results.Json(new JsonObject { ["tenantId"] = CamundaJson.TenantId, ["messageKey"] = instance.Key + "0", ["processInstanceKey"] = instance.Key });
        });
        v2.MapPost("/jobs/activation", ActivateAsync);
        v2.MapPost("/jobs/{key}/completion", (CamundaEngine engine, string key, [FromBody] JsonObject? body) =>
        {
            engine.CompleteJob(key, body?["variables"] as JsonObject);
            return Results.NoContent();
        });
        v2.MapPost("/jobs/{key}/failure", (CamundaEngine engine, string key, [FromBody] JsonObject? body) =>
        {
            engine.FailJob(key, body?["retries"]?.GetValue<int>() ?? 0, body?["errorMessage"]?.GetValue<string>(),
                TimeSpan.FromMilliseconds(body?["retryBackOff"]?.GetValue<long>() ?? 0), body?["variables"] as JsonObject);
            return Results.NoContent();
        });
        v2.MapPost("/jobs/{key}/error", (CamundaEngine engine, string key, [FromBody] JsonObject body) =>
        {
            engine.ThrowError(key, Required(body, "errorCode"), body["errorMessage"]?.GetValue<string>(), body["variables"] as JsonObject);
            return Results.NoContent();
        });
        return v2;
    }

    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var switches = http.RequestServices.GetRequiredService<CamundaSwitches>().Current;
        if (switches.Delay > TimeSpan.Zero)
        {
            await Task.Delay(switches.Delay, http.RequestServices.GetRequiredService<TimeProvider>(), http.RequestAborted).ConfigureAwait(false);
        }

        if (switches.EngineDown)
        {
            return CamundaJson.Problem(http, 503, "RESOURCE_EXHAUSTED", "The engine is unavailable (Sandbox switch engineDown).");
        }

        if (http.RequestServices.GetRequiredService<CamundaAuth>().Reject(http.Request.Headers.Authorization.FirstOrDefault()) is { } reason)
        {
            return CamundaJson.Problem(http, 401, "UNAUTHORIZED", reason);
        }

        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (CamundaProblem problem)
        {
            return CamundaJson.Problem(http, problem.Status, problem.Title, problem.Message);
        }
        catch (InvalidOperationException exception)
        {
            return CamundaJson.Problem(http, 400, "INVALID_ARGUMENT", exception.Message);
        }
    }

    private static IResult Status(CamundaSwitches switches) => switches.Current.EngineDown ? Results.StatusCode(503) : Results.NoContent();

    private static IResult Topology() => Results.Json(new JsonObject
    {
        ["brokers"] = new JsonArray(new JsonObject
        {
            ["nodeId"] = 0, ["host"] = "sandbox", ["port"] = 26501, ["version"] = "8.9.0",
            ["partitions"] = new JsonArray(new JsonObject { ["partitionId"] = 1, ["role"] = "leader", ["health"] = "healthy" }),
        }),
        ["clusterId"] = "atlas-sandbox", ["clusterSize"] = 1, ["partitionsCount"] = 1, ["replicationFactor"] = 1,
        ["gatewayVersion"] = "8.9.0", ["lastCompletedChangeId"] = "-1",
    });

    private static async Task<IResult> IssueTokenAsync(HttpRequest request, CamundaAuth auth)
    {
        if (!request.HasFormContentType)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_request", ["error_description"] = "Expected application/x-www-form-urlencoded." }, statusCode: 400);
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var (clientId, clientSecret) = ((string?)form["client_id"], (string?)form["client_secret"]);
        if (clientId is null && request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            (clientId, clientSecret) = CamundaAuth.DecodeBasic(header[6..].Trim());
        }

        var (token, error, status) = auth.Issue(form["grant_type"], clientId, clientSecret);
        return token is null
            ? Results.Json(new JsonObject { ["error"] = error }, statusCode: status)
            : Results.Json(new JsonObject { ["access_token"] = token, ["token_type"] = "Bearer", ["expires_in"] = (long)auth.TokenLifetime.TotalSeconds });
    }

    private static async Task<IResult> DeployAsync(HttpRequest request, CamundaEngine engine)
    {
        if (!request.HasFormContentType)
        {
            throw CamundaProblem.InvalidArgument("Expected a multipart/form-data body with 'resources'.");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var resources = new List<(string, string)>();
        foreach (var file in form.Files)
        {
            using var reader = new StreamReader(file.OpenReadStream());
            resources.Add((file.FileName, await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false)));
        }

        if (resources.Count == 0)
        {
            throw CamundaProblem.InvalidArgument("Expected to deploy at least one resource, but none given.");
        }

        var deployed = engine.Deploy(resources);
        return Results.Json(new JsonObject
        {
            ["deploymentKey"] = deployed[0].Key + "1",
            ["tenantId"] = CamundaJson.TenantId,
            ["deployments"] = new JsonArray([.. deployed.Select(d => (JsonNode)new JsonObject
            {
                ["processDefinition"] = new JsonObject
                {
                    ["processDefinitionId"] = d.ProcessDefinitionId, ["processDefinitionVersion"] = d.Version,
                    ["resourceName"] = d.ResourceName, ["tenantId"] = CamundaJson.TenantId, ["processDefinitionKey"] = d.Key,
                },
                ["decisionDefinition"] = null, ["decisionRequirements"] = null, ["form"] = null, ["resource"] = null,
            })]),
        });
    }

    // UserTaskStateEnum of the v2 API.
    private static readonly string[] UserTaskStates = ["CREATING", "CREATED", "ASSIGNING", "UPDATING", "COMPLETING", "COMPLETED", "CANCELING", "CANCELED", "FAILED"];

    private static IResult SearchInstances(CamundaEngine engine, JsonObject? body)
    {
        var filter = body?["filter"] as JsonObject;
        CamundaJson.RequireEnum(filter, "state", "ACTIVE", "COMPLETED", "TERMINATED");
        var items = engine.Instances()
            .Where(i => CamundaJson.Matches(filter, "processInstanceKey", i.Key) && CamundaJson.Matches(filter, "processDefinitionId", i.Definition.ProcessDefinitionId)
                && CamundaJson.Matches(filter, "state", i.State) && CamundaJson.Matches(filter, "businessId", i.BusinessId))
            .OrderBy(i => i.StartDate).Select(CamundaJson.Instance).ToList();
        return Results.Json(CamundaJson.Page(items, body?["page"] as JsonObject));
    }

    private static IResult SearchTasks(CamundaEngine engine, JsonObject? body)
    {
        var filter = body?["filter"] as JsonObject;
        CamundaJson.RequireEnum(filter, "state", UserTaskStates);
        var items = engine.Tasks()
            .Where(t => CamundaJson.Matches(filter, "userTaskKey", t.Key) && CamundaJson.Matches(filter, "state", t.State)
                && CamundaJson.Matches(filter, "assignee", t.Assignee) && CamundaJson.Contains(filter, "candidateGroup", t.CandidateGroups)
                && CamundaJson.Matches(filter, "processInstanceKey", t.Instance.Key) && CamundaJson.Matches(filter, "processDefinitionId", t.Instance.Definition.ProcessDefinitionId))
            .OrderBy(t => t.CreationDate).Select(CamundaJson.Task).ToList();
        return Results.Json(CamundaJson.Page(items, body?["page"] as JsonObject));
    }

    private static async Task<IResult> ActivateAsync(CamundaEngine engine, TimeProvider time, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        var type = Required(body, "type");
        var max = body["maxJobsToActivate"]?.GetValue<int>() ?? throw CamundaProblem.InvalidArgument("No maxJobsToActivate provided.");
        var timeout = TimeSpan.FromMilliseconds(body["timeout"]?.GetValue<long>() ?? throw CamundaProblem.InvalidArgument("No timeout provided."));
        var requested = body["requestTimeout"]?.GetValue<long>() ?? 0;
        var fetch = (body["fetchVariable"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList();
        var until = time.GetUtcNow() + (requested < 0 ? TimeSpan.Zero : requested == 0 ? TimeSpan.FromSeconds(10) : TimeSpan.FromMilliseconds(requested));
        while (true)
        {
            var changed = engine.JobsChanged;
            var jobs = engine.Activate(type, body["worker"]?.GetValue<string>(), max, timeout);
            var now = time.GetUtcNow();
            if (jobs.Count > 0 || now >= until)
            {
                return Results.Json(new JsonObject { ["jobs"] = new JsonArray([.. jobs.Select(j => (JsonNode)CamundaJson.Job(j, fetch))]) });
            }

            var wake = engine.NextJobDue(type) is { } due && due < until ? due : until;
            var wait = Task.Delay(wake > now ? wake - now : TimeSpan.FromMilliseconds(1), time, cancellationToken);
            await Task.WhenAny(changed, wait).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static string Required(JsonObject body, string name) =>
        body[name]?.GetValue<string>() is { Length: > 0 } value ? value : throw CamundaProblem.InvalidArgument($"No {name} provided.");
}
