using System.Text.Json.Serialization;
using Atlas.LlmRouter.Diagnostics;
using Atlas.LlmRouter.Providers;
using Atlas.LlmRouter.Routing;
using Atlas.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.LlmRouter.Apis;

/// <summary>
/// Ops endpoints under <c>/admin</c> (admin key): read and flip the rate-limited switch at run time, and see each
/// provider's health.
/// </summary>
public static class AdminApi
{
    /// <summary>Where the router's ops key is configured.</summary>
    public const string KeyPath = "LlmRouter:AdminApiKey";

    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/admin").WithTags("Admin").RequireOpsKey(KeyPath);
        api.MapGet("/rate-limited", GetRateLimitedAsync).WithName("GetRateLimited");
        api.MapPut("/rate-limited", SetRateLimitedAsync).WithName("SetRateLimited");
        api.MapGet("/providers", GetProviders).WithName("GetProviders");
        return api;
    }

    public static async Task<Ok<RateLimitedBody>> GetRateLimitedAsync(RateLimitSwitch rateLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rateLimit);
        return TypedResults.Ok(new RateLimitedBody(await rateLimit.IsOnAsync(cancellationToken).ConfigureAwait(false)));
    }

    public static async Task<Results<Ok<RateLimitedBody>, ProblemHttpResult>> SetRateLimitedAsync(
        RateLimitedBody? body, RateLimitSwitch rateLimit, ILogger<RateLimitSwitch> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rateLimit);
        if (body is null)
        {
            return TypedResults.Problem("Send {\"enabled\": true|false}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid body");
        }

        if (!await rateLimit.SetAsync(body.Enabled, cancellationToken).ConfigureAwait(false))
        {
            return TypedResults.Problem("Redis is unavailable; the switch was not changed.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Switch unavailable");
        }

        LlmRouterLog.RateLimitedChanged(logger, body.Enabled, "admin API");
        return TypedResults.Ok(body);
    }

    public static Ok<IReadOnlyList<ProviderStatus>> GetProviders(ProviderCatalog catalog, ProviderHealth health)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(health);
        return TypedResults.Ok<IReadOnlyList<ProviderStatus>>(
            [.. catalog.Providers.Select(p => new ProviderStatus(p.Name, p.Model, health.IsAvailable(p.Name)))]);
    }
}

/// <summary>The rate-limited switch; <c>enabled</c> must be given (a body without it is refused, not read as false).</summary>
public sealed record RateLimitedBody([property: JsonRequired] bool Enabled);

/// <summary>A configured provider, its model and whether it is healthy (false while cooling down).</summary>
public sealed record ProviderStatus(string Name, string Model, bool Healthy);
