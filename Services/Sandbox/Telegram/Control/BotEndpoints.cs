using Atlas.Sandbox.Telegram.BotApi;
using Atlas.Sandbox.Telegram.Bots;
using Atlas.Sandbox.Telegram.Limits;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Sandbox.Telegram.Control;

/// <summary>Control API: creating and forgetting bots, and their send limits.</summary>
internal static class BotEndpoints
{
    public static void MapBotEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/bots", ListBots).WithName("ListSandboxBots");
        api.MapPost("/bots", CreateBot).WithName("CreateSandboxBot");
        api.MapDelete("/bots/{token}", DeleteBot).WithName("DeleteSandboxBot");
        api.MapPost("/bots/{token}/token", RotateToken).WithName("RotateSandboxBotToken");
        api.MapGet("/bots/{token}/limits", GetLimits).WithName("GetSandboxBotLimits");
        api.MapPut("/bots/{token}/limits", SetLimits).WithName("SetSandboxBotLimits");
    }

    public static Ok<BotInfo[]> ListBots([AsParameters] ControlServices services) =>
        TypedResults.Ok(services.Bots.All.Select(Info).ToArray());

    public static Results<Created<BotInfo>, ProblemHttpResult> CreateBot(CreateBotRequest? request, [AsParameters] ControlServices services)
    {
        var token = request?.Token ?? BotToken.Generate();
        if (!BotToken.IsWellFormed(token))
        {
            return ControlProblems.Invalid("token must have Telegram's shape: 6-12 digits, a colon, then 30-64 of A-Z a-z 0-9 _ -.");
        }

        if (!services.Bots.TryAdd(token, request?.Username, request?.FirstName, out var bot))
        {
            return ControlProblems.Conflict("A bot with this token exists already.");
        }

        services.Logger.BotCreated(bot.Id, bot.Username);
        return TypedResults.Created($"/sandbox/telegram/bots/{bot.Token}", Info(bot));
    }

    public static Results<NoContent, ProblemHttpResult> DeleteBot(string token, [AsParameters] ControlServices services)
    {
        var bot = services.Bots.Find(token);
        if (bot is null || !services.Bots.Remove(token))
        {
            return ControlProblems.BotNotFound();
        }

        services.Logger.BotRemoved(bot.Id);
        return TypedResults.NoContent();
    }

    /// <summary>@BotFather's /revoke: the bot gets a new token (given or made up, same bot id); the old one answers 401 from now on.</summary>
    public static Results<Ok<BotInfo>, ProblemHttpResult> RotateToken(string token, RotateTokenRequest? request, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        var replacement = request?.Token ?? BotToken.Generate(bot.Id);
        if (!BotToken.IsWellFormed(replacement))
        {
            return ControlProblems.Invalid("token must have Telegram's shape: 6-12 digits, a colon, then 30-64 of A-Z a-z 0-9 _ -.");
        }

        switch (services.Bots.Rotate(token, replacement))
        {
            case BotRegistry.Rotation.Rotated:
                services.Logger.BotTokenRotated(bot.Id);
                return TypedResults.Ok(Info(bot));
            case BotRegistry.Rotation.OtherBot:
                return ControlProblems.Invalid($"The new token must belong to the same bot: it has to start with {bot.Id}:.");
            case BotRegistry.Rotation.TokenTaken:
                return ControlProblems.Conflict("The new token is the token of a bot already (perhaps this one's).");
            default:
                return ControlProblems.BotNotFound();
        }
    }

    public static Results<Ok<SendLimits>, ProblemHttpResult> GetLimits(string token, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        lock (bot.Sync)
        {
            return TypedResults.Ok(bot.Limits.Limits);
        }
    }

    public static Results<Ok<SendLimits>, ProblemHttpResult> SetLimits(string token, SendLimits limits, [AsParameters] ControlServices services)
    {
        if (services.Bots.Find(token) is not { } bot)
        {
            return ControlProblems.BotNotFound();
        }

        if (limits.Problem() is { } problem)
        {
            return ControlProblems.Invalid(problem);
        }

        lock (bot.Sync)
        {
            bot.Limits.Change(limits);
            return TypedResults.Ok(bot.Limits.Limits);
        }
    }

    private static BotInfo Info(SandboxBot bot) => new(bot.Id, bot.Token, bot.Username, bot.FirstName);
}
