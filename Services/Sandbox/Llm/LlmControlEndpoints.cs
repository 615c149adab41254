using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Sandbox.Llm;

/// <summary>
/// The LLM control API under <c>/sandbox/llm</c>: set or clear a surface's switch (fail, rateLimit, hang, slow), script
/// its replies, read the requests a surface received, and reset everything. Errors are RFC 9457 problem details.
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
        api.MapPost("/{surface}/replies", AddReply).WithName("AddSandboxLlmReply");
        api.MapGet("/{surface}/replies", GetReplies).WithName("GetSandboxLlmReplies");
        api.MapDelete("/{surface}/replies", ClearReplies).WithName("ClearSandboxLlmReplies");
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

    public static Results<Ok<LlmScriptedReply>, ProblemHttpResult> AddReply(string surface, LlmScriptedReply script, LlmSurfaceState state)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (UnknownSurface(surface) is { } unknown)
        {
            return unknown;
        }

        if (script.Problem() is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid scripted reply");
        }

        state.AddScript(surface, script);
        return TypedResults.Ok(script);
    }

    public static Results<Ok<IReadOnlyList<LlmScriptedReply>>, ProblemHttpResult> GetReplies(string surface, LlmSurfaceState state) =>
        UnknownSurface(surface) is { } unknown ? unknown : TypedResults.Ok(state.Scripts(surface));

    public static Results<NoContent, ProblemHttpResult> ClearReplies(string surface, LlmSurfaceState state)
    {
        if (UnknownSurface(surface) is { } unknown)
        {
            return unknown;
        }

        state.ClearScripts(surface);
        return TypedResults.NoContent();
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
