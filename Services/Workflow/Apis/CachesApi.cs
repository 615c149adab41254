using Atlas.ServiceDefaults.Security;
using Atlas.Workflow.Camunda;
using Atlas.Workflow.Processes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Workflow.Apis;

/// <summary>
/// <c>POST /workflow/caches/warm</c>: the upgrade playbook's "warm workflow caches" on demand, the same warm-up the
/// service runs at start: the engine's topology (which also fills the OAuth token cache), the shipped processes
/// deployed again when <c>Camunda:DeployOnStart</c> is on and the definition cache filled with what the engine
/// answered. Repeating it is harmless: new instances start the latest version either way. 503 when the engine cannot
/// be reached.
/// </summary>
internal static class CachesApi
{
    public static RouteGroupBuilder MapCachesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/workflow/caches").WithTags("Caches").RequireOpsKey(WorkflowOps.KeyPath);
        api.MapPost("/warm", WarmAsync).WithName("WarmCaches");
        return api;
    }

    public static async Task<Results<Ok<WarmBody>, ProblemHttpResult>> WarmAsync(ProcessDeployer deployer, ProcessCatalog catalog, CancellationToken cancellationToken)
    {
        try
        {
            await deployer.WarmUpAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EngineUnavailableException exception)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Camunda unreachable", detail: exception.Reason);
        }
        catch (CamundaProblemException problem)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Camunda refused the deployment", detail: $"{problem.Status} {problem.Title}: {problem.Detail}");
        }

        var processes = catalog.KnownIds.Select(catalog.Deployed).OfType<DeployedDefinition>().Select(d => new WarmProcess(d.ProcessId, d.Version)).ToList();
        return TypedResults.Ok(new WarmBody(catalog.IsWarm, processes));
    }
}

/// <summary>What a warm-up left in the definition cache; <c>Warm</c> when every shipped process is known.</summary>
internal sealed record WarmBody(bool Warm, IReadOnlyList<WarmProcess> Processes);

/// <summary>A cached process definition.</summary>
internal sealed record WarmProcess(string ProcessId, int Version);
