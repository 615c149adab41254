using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Sandbox.Llm;

/// <summary>
/// The LLM control API under <c>/sandbox/llm</c>: set or clear a surface's switch (fail, rateLimit, hang, slow), read
/// the requests a surface received, and reset everything. Errors are RFC 9457 problem details.
/// </summary>
internal static class LlmControlEndpoints
{
    public static void MapLlmControlEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/sandbox/llm").WithTags("LLM Sandbox control").DisableAntiforgery();
        api.MapPut("/{surface}/fault", SetFault).WithName("SetSandboxLlmFault");
        api.MapGet("/{surface}/fault", GetFault).WithName("GetSandboxLlmFault");
        api.MapDelete("/{surface}/fault", ClearFault).WithName("ClearSandboxLlmFault");
        api.MapGet("/{surface}/requests", GetRequests).WithName("GetSandboxLlmRequests");
        api.MapDelete("/", Reset).WithName("ResetSandboxLlm");
    }

    public static Results<Ok<LlmFault>, ProblemHttpResult> SetFault(string surface, LlmFault fault, LlmSurfaceState state)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (UnknownSurface(surface) is { } unknown)
        {
            return unknown;
        }

        if (fault.Problem() is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid switch");
        }

        state.SetFault(surface, fault);
        return TypedResults.Ok(fault);
    }

    public static Results<Ok<LlmFault>, NoContent, ProblemHttpResult> GetFault(string surface, LlmSurfaceState state) =>
        UnknownSurface(surface) is { } unknown ? unknown
        : state.GetFault(surface) is { } fault ? TypedResults.Ok(fault)
        : TypedResults.NoContent();

    public static Results<NoContent, ProblemHttpResult> ClearFault(string surface, LlmSurfaceState state)
    {
        if (UnknownSurface(surface) is { } unknown)
        {
            return unknown;
        }

        state.ClearFault(surface);
        return TypedResults.NoContent();
    }

    public static Results<Ok<LlmRequestList>, ProblemHttpResult> GetRequests(string surface, LlmSurfaceState state)
    {
        if (UnknownSurface(surface) is { } unknown)
        {
            return unknown;
        }

        var requests = state.Requests(surface);
        return TypedResults.Ok(new LlmRequestList(requests.Count, state.Held(surface), requests));
    }

    public static NoContent Reset(LlmSurfaceState state)
    {
        state.Reset();
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult? UnknownSurface(string surface) =>
        LlmSurfaceState.Surfaces.Contains(surface)
            ? null
            : TypedResults.Problem($"Unknown surface '{surface}': use ollama or openai.", statusCode: StatusCodes.Status404NotFound, title: "Unknown surface");
}

/// <summary>The requests a surface received, oldest first.</summary>
/// <summary>What a surface received; <c>Held</c> is how many of those a slow or hang switch holds right now.</summary>
public sealed record LlmRequestList(int Count, int Held, IReadOnlyList<LlmRecordedRequest> Requests);
