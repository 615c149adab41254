using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.ServiceDefaults.Audit;

/// <summary>
/// The ops audit of one ops API call, run by the ops key filter for every state-changing call (POST, PUT, PATCH,
/// DELETE) in a service that has <see cref="OpsAudit"/>: a refusal (wrong key, API off, malformed caller headers) is
/// one row; an allowed call gets its row before it runs and its outcome (status, problem detail) when it ends. When
/// that first row cannot be written the call is not run and answers 503: the log must be complete. Reads are not
/// recorded. Nothing of the request is stored but its method, route and path.
/// </summary>
internal static class OpsAuditTrail
{
    /// <summary>The audit for <paramref name="context"/>'s call, or null when the service keeps none or the call only reads.</summary>
    public static OpsAudit? For(HttpContext context) =>
        context.Request.Method is var method && (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method))
            ? context.RequestServices.GetService<OpsAudit>()
            : null;

    public static async ValueTask<object?> InvokeAsync(
        OpsAudit audit, EndpointFilterInvocationContext context, EndpointFilterDelegate next, ProblemHttpResult? refusal)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? request.Path.Value;
        var what = $"{request.Method} {(route is { Length: > 0 } r && r[0] != '/' ? "/" + r : route)}";
        var target = request.PathBase.Add(request.Path).Value;
        var caller = OpsCaller.From(request, out var callerProblem);
        if (refusal is not null)
        {
            var claimed = caller is { Actor: var name } && name != OpsCaller.KeyHolder ? $" (claimed operator '{name}')" : "";
            await audit.RecordAsync(new OpsAction(OpsCaller.Unknown, caller?.Source ?? OpsSources.Api, what, target), OpsOutcomes.Refused,
                refusal.StatusCode, refusal.ProblemDetails.Detail + claimed, http.RequestAborted).ConfigureAwait(false);
            return refusal;
        }

        if (caller is not { } who)
        {
            await audit.RecordAsync(new OpsAction(OpsCaller.KeyHolder, OpsSources.Api, what, target), OpsOutcomes.Refused,
                StatusCodes.Status400BadRequest, callerProblem, http.RequestAborted).ConfigureAwait(false);
            return TypedResults.Problem(callerProblem, statusCode: StatusCodes.Status400BadRequest, title: "Malformed caller header");
        }

        var action = new OpsAction(who.Actor, who.Source, what, target);
        long id;
        try
        {
            id = await audit.BeginAsync(action, http.RequestAborted).ConfigureAwait(false);
        }
        catch (OpsAuditUnavailableException exception)
        {
            return TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Ops audit log unavailable");
        }

        object? result;
        try
        {
            result = await next(context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await audit.CompleteAsync(id, action, OpsOutcomes.Failed, StatusCodes.Status500InternalServerError, exception.GetType().Name, CancellationToken.None)
                .ConfigureAwait(false);
            throw;
        }

        var status = StatusOf(result) ?? http.Response.StatusCode;
        await audit.CompleteAsync(id, action, OpsOutcomes.OfStatus(status), status, status >= 400 ? DetailOf(result) : null, CancellationToken.None)
            .ConfigureAwait(false);
        return result;
    }

    private static int? StatusOf(object? result) => result switch
    {
        INestedHttpResult nested => StatusOf(nested.Result),
        IStatusCodeHttpResult { StatusCode: { } code } => code,
        null => null,
        _ => StatusCodes.Status200OK,
    };

    private static string? DetailOf(object? result) => result switch
    {
        INestedHttpResult nested => DetailOf(nested.Result),
        IValueHttpResult { Value: ProblemDetails problem } => problem.Detail ?? problem.Title,
        IValueHttpResult { Value: string text } => text,
        _ => null,
    };
}
