using Atlas.Sandbox.Telegram.Bots;
using Atlas.Sandbox.Telegram.Chats;
using Atlas.Sandbox.Telegram.Updates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Sandbox.Telegram.Control;

/// <summary>What the control API's handlers need, bound as one [AsParameters] bundle.</summary>
internal sealed class ControlServices(BotRegistry bots, UpdateInjector injector, ChatMemberJson members, TimeProvider time, ILogger<ControlServices> logger)
{
    public BotRegistry Bots { get; } = bots;

    public UpdateInjector Injector { get; } = injector;

    public ChatMemberJson Members { get; } = members;

    public TimeProvider Time { get; } = time;

    public ILogger<ControlServices> Logger { get; } = logger;
}

/// <summary>The control API's RFC 9457 answers.</summary>
internal static class ControlProblems
{
    public static ProblemHttpResult BotNotFound() =>
        TypedResults.Problem(title: "Bot not found", detail: "No bot with this token is known to the Sandbox.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);
}
