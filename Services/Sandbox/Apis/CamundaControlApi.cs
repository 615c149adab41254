using System.Text.Json.Nodes;
using Atlas.Sandbox.Camunda;
using Microsoft.AspNetCore.Mvc;

namespace Atlas.Sandbox.Apis;

/// <summary>
/// Control of the Camunda stand-in under <c>/sandbox/camunda</c>: fault switches, process configuration, and a look
/// at instances, jobs and token issuance for tests.
/// </summary>
internal static class CamundaControlApi
{
    public static RouteGroupBuilder MapCamundaControlApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/sandbox/camunda").WithTags("Camunda Sandbox control").DisableAntiforgery();
        api.MapGet("/switches", (CamundaSwitches switches) => Results.Json(Switches(switches.Current)));
        api.MapPut("/switches", (CamundaSwitches switches, [FromBody] SwitchesBody body) =>
        {
            var current = switches.Current;
            switches.Set(new SwitchState(
                body.EngineDown ?? current.EngineDown,
                body.TokenEndpointDown ?? current.TokenEndpointDown,
                body.RejectTokens ?? current.RejectTokens,
                body.DelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : current.Delay));
            return Results.Json(Switches(switches.Current));
        });
        api.MapPut("/settings", (CamundaEngine engine, CamundaAuth auth, [FromBody] SettingsBody body) =>
        {
            if (body.SearchLagMs is { } lag)
            {
                engine.SearchLag = TimeSpan.FromMilliseconds(lag);
            }

            if (body.TokenLifetimeSeconds is { } seconds)
            {
                auth.TokenLifetime = TimeSpan.FromSeconds(seconds);
            }

            if (body.ClientSecret is { Length: > 0 } secret)
            {
                auth.ClientSecret = secret;
            }

            return Results.NoContent();
        });
        api.MapPut("/processes/{id}", (CamundaEngine engine, string id, [FromBody] SandboxProcess process) =>
        {
            engine.Configure(id, process, id + ".bpmn");
            return Results.NoContent();
        });
        api.MapGet("/definitions", (CamundaEngine engine) =>
            Results.Json(engine.Definitions().Select(d => new { d.ProcessDefinitionId, processDefinitionKey = d.Key, d.Version, d.ResourceName })));
        api.MapGet("/instances/{key}", (CamundaEngine engine, string key) => engine.Instance(key) is { } i
            ? Results.Json(new
            {
                processInstanceKey = i.Key, i.Definition.ProcessDefinitionId, i.State, i.HasIncident, i.IncidentMessage, i.BusinessId,
                variables = i.Variables, i.CaughtErrors, i.WaitingMessage,
            })
            : Results.Problem(statusCode: 404, title: "No such instance", detail: $"No process instance has key '{key}'."));
        api.MapGet("/jobs", (CamundaEngine engine, string? type) => Results.Json(engine.Jobs()
            .Where(j => type is null || j.Type == type)
            .Select(j => new { jobKey = j.Key, j.Type, j.State, j.Retries, j.Activations, j.ErrorMessage, processInstanceKey = j.Instance.Key })));
        api.MapGet("/auth", (CamundaAuth auth) => Results.Json(new { auth.TokensIssued, auth.TokenRequests }));
        return api;
    }

    private static JsonObject Switches(SwitchState s) => new()
    {
        ["engineDown"] = s.EngineDown, ["tokenEndpointDown"] = s.TokenEndpointDown, ["rejectTokens"] = s.RejectTokens, ["delayMs"] = (long)s.Delay.TotalMilliseconds,
    };
}

/// <summary>A change of fault switches; absent fields stay as they are.</summary>
internal sealed record SwitchesBody(bool? EngineDown, bool? TokenEndpointDown, bool? RejectTokens, long? DelayMs);

/// <summary>A change of the engine's search lag or the token lifetime.</summary>
internal sealed record SettingsBody(long? SearchLagMs, long? TokenLifetimeSeconds, string? ClientSecret = null);
