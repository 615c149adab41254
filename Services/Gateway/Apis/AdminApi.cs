using Atlas.Gateway.Admin;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Freeze;
using Atlas.Gateway.PasswordGate;
using Atlas.Gateway.RateLimiting;
using Atlas.Gateway.State;
using Atlas.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Atlas.Gateway.Apis;

/// <summary>
/// Ops endpoints under <c>/admin</c> (guarded by the ops key <c>Gateway:AdminApiKey</c>): freeze and unfreeze inbound (an
/// unfreeze replays the held updates), read and switch the rate-limit tier, and a status summary (with the number of
/// held updates). The state lives in Redis, so every instance agrees.
/// </summary>
public static class AdminApi
{
    /// <summary>Where the gateway's ops key is configured.</summary>
    public const string KeyPath = "Gateway:AdminApiKey";

    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/admin").WithTags("Admin").RequireOpsKey(KeyPath);
        api.MapPost("/freeze", FreezeAsync).WithName("FreezeInbound");
        api.MapPost("/unfreeze", UnfreezeAsync).WithName("UnfreezeInbound");
        api.MapGet("/rate-limit-tier", GetTierAsync).WithName("GetRateLimitTier");
        api.MapPut("/rate-limit-tier", SetTierAsync).WithName("SetRateLimitTier");
        api.MapGet("/status", GetStatusAsync).WithName("GetGatewayStatus");
        return api;
    }

    public static async Task<Results<Ok<AdminStatus>, ProblemHttpResult>> FreezeAsync(
        [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!await services.Inbound.FreezeAsync(cancellationToken).ConfigureAwait(false))
        {
            return RedisUnavailable();
        }

        GatewayLog.FreezeChanged(services.Logger, "frozen", "ops API");
        return TypedResults.Ok(await StatusAsync(services, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<Results<Ok<AdminStatus>, ProblemHttpResult>> UnfreezeAsync(
        [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!await services.Inbound.UnfreezeAsync(cancellationToken).ConfigureAwait(false))
        {
            return RedisUnavailable();
        }

        GatewayLog.FreezeChanged(services.Logger, "unfrozen", "ops API");
        return TypedResults.Ok(await StatusAsync(services, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<Ok<TierBody>> GetTierAsync([AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        return TypedResults.Ok(new TierBody(TierLimits.Name(await services.Tiers.GetAsync(cancellationToken).ConfigureAwait(false))));
    }

    public static async Task<Results<Ok<TierBody>, ProblemHttpResult>> SetTierAsync(
        TierBody? body, [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!TierLimits.TryParse(body?.Tier, out var tier))
        {
            return TypedResults.Problem(
                "Send {\"tier\": \"normal\"|\"high\"|\"crisis\"}.", statusCode: StatusCodes.Status400BadRequest, title: "Unknown rate-limit tier");
        }

        if (!await services.Tiers.SetAsync(tier, cancellationToken).ConfigureAwait(false))
        {
            return RedisUnavailable();
        }

        GatewayLog.TierChanged(services.Logger, TierLimits.Name(tier), "ops API");
        return TypedResults.Ok(new TierBody(TierLimits.Name(tier)));
    }

    public static async Task<Ok<AdminStatus>> GetStatusAsync([AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        return TypedResults.Ok(await StatusAsync(services, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<AdminStatus> StatusAsync(AdminServices services, CancellationToken cancellationToken)
    {
        var freeze = await services.Inbound.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var tier = await services.Tiers.GetAsync(cancellationToken).ConfigureAwait(false);
        return new AdminStatus(
            freeze.Frozen, freeze.Frozen ? freeze.Since : null, TierLimits.Name(tier), services.Redis.IsAvailable, services.Gate.Enabled, freeze.Draining,
            await HeldAsync(services.Held, cancellationToken).ConfigureAwait(false));
    }

    // Null when PostgreSQL does not answer: the status still reports the rest.
    private static async Task<long?> HeldAsync(HeldUpdateStore held, CancellationToken cancellationToken)
    {
        try
        {
            return await held.CountAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    private static ProblemHttpResult RedisUnavailable() =>
        TypedResults.Problem(
            "Redis is unavailable, so the switch cannot be shared with the other instances; nothing was changed.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "State store unavailable");
}

/// <summary>The dependencies of the ops endpoints.</summary>
public sealed record AdminServices(
    InboundControl Inbound, HeldUpdateStore Held, RateLimitTierStore Tiers, RedisGuard Redis, PasswordGatekeeper Gate, ILogger<AdminServices> Logger);

/// <summary>A rate-limit tier: <c>normal</c>, <c>high</c> or <c>crisis</c>.</summary>
public sealed record TierBody(string? Tier);

/// <summary>
/// What <c>GET /admin/status</c> reports. <c>Draining</c>: unfrozen, the held updates are being replayed (new updates of
/// chats that still have held ones join the hold); <c>Held</c>: updates in the hold (null when PostgreSQL is unavailable).
/// </summary>
public sealed record AdminStatus(
    bool Frozen, DateTimeOffset? FrozenSince, string RateLimitTier, bool RedisAvailable, bool PasswordGateEnabled, bool Draining, long? Held);
