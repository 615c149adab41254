using Atlas.Gateway.Telegram.Mode;
using Atlas.Gateway.Telegram;
using Atlas.Gateway.Telegram.Token;
using Atlas.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Atlas.Gateway.Apis;

/// <summary>
/// Ops endpoints for how updates arrive (runbook "switch to polling temporarily"), behind the ops key:
/// <c>GET /admin/telegram/mode</c> and <c>POST /admin/telegram/mode {"mode":"Polling"|"Webhook"}</c>; and the runbook's
/// "rotate the bot token": <c>POST /admin/telegram/token {"token":"..."}</c> (the token is never echoed or logged).
/// </summary>
internal static class TelegramAdminApi
{
    public static RouteGroupBuilder MapTelegramAdminApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/admin/telegram").RequireOpsKey(AdminApi.KeyPath).WithTags("Telegram admin");
        group.MapGet("/mode", GetMode).WithName("GetTelegramMode");
        group.MapPost("/mode", SetModeAsync).WithName("SetTelegramMode");
        group.MapPost("/token", RotateTokenAsync).WithName("RotateBotToken");
        return group;
    }

    public static Ok<TelegramModeResponse> GetMode(TelegramModeCoordinator coordinator)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        return TypedResults.Ok(TelegramModeResponse.From(coordinator.Status));
    }

    public static async Task<Results<Ok<BotTokenResponse>, ProblemHttpResult>> RotateTokenAsync(
        BotTokenRequest? request, BotTokenRotation rotation, TelegramModeCoordinator coordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        ArgumentNullException.ThrowIfNull(coordinator);
        var result = await rotation.RotateAsync(request?.Token, cancellationToken).ConfigureAwait(false);
        var status = result.Outcome switch
        {
            BotTokenRotationOutcome.Rotated or BotTokenRotationOutcome.Unchanged => (int?)null,
            BotTokenRotationOutcome.Invalid => StatusCodes.Status400BadRequest,
            BotTokenRotationOutcome.Refused => StatusCodes.Status422UnprocessableEntity,
            BotTokenRotationOutcome.Unreachable => StatusCodes.Status502BadGateway,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        if (status is { } code)
        {
            return TypedResults.Problem(result.Detail, statusCode: code, title: "The bot token was not rotated");
        }

        var now = coordinator.Status;
        return TypedResults.Ok(new BotTokenResponse(
            result.Outcome.ToString().ToLowerInvariant(), result.BotId, now.Mode.ToString(), now.State, result.Detail));
    }

    public static async Task<Results<Ok<TelegramModeResponse>, ProblemHttpResult>> SetModeAsync(
        TelegramModeRequest? request, TelegramModeCoordinator coordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        if (request?.Mode is not { } name
            || !Enum.TryParse<TelegramMode>(name, ignoreCase: true, out var mode)
            || !Enum.IsDefined(mode)
            || int.TryParse(name, out _))
        {
            return TypedResults.Problem(
                """The body must be {"mode":"Polling"} or {"mode":"Webhook"}.""", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!coordinator.CanUse(mode))
        {
            return TypedResults.Problem(
                "Webhook mode needs Telegram:WebhookBaseUrl (or WEBHOOK_BASE_URL) in the configuration.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            return TypedResults.Ok(TelegramModeResponse.From(await coordinator.SwitchAsync(mode, cancellationToken).ConfigureAwait(false)));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return TypedResults.Problem(
                "The mode could not be stored in Redis, so nothing was changed; try again when Redis is back.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

/// <summary>Body of <c>POST /admin/telegram/token</c>: the new token from @BotFather.</summary>
internal sealed record BotTokenRequest(string? Token)
{
    // A record prints its members; this one must never show the token.
    public override string ToString() => nameof(BotTokenRequest);
}

/// <summary>What a rotation did: <c>rotated</c> or <c>unchanged</c>, the bot id, the mode the receivers run in.</summary>
internal sealed record BotTokenResponse(string Outcome, long? BotId, string Mode, string State, string Detail);

/// <summary>Body of <c>POST /admin/telegram/mode</c>.</summary>
internal sealed record TelegramModeRequest(string? Mode);

/// <summary>The mode, what the receivers are doing (<c>polling</c>, <c>webhook</c>, <c>registering-webhook</c>, ...) and the webhook URL.</summary>
internal sealed record TelegramModeResponse(string Mode, string State, string? WebhookUrl)
{
    public static TelegramModeResponse From(TelegramModeStatus status) =>
        new(status.Mode.ToString(), status.State, status.WebhookUrl?.ToString());
}
