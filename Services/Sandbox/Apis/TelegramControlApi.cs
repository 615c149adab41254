using Atlas.Sandbox.Telegram.Control;

namespace Atlas.Sandbox.Apis;

/// <summary>
/// The control API under <c>/sandbox/telegram</c>, for tests and people: create bots, play users (messages, button
/// presses, joins), inspect what the bot did, and arrange limits, faults, memberships and blocks. JSON in camelCase;
/// errors are RFC 9457 problem details.
/// </summary>
internal static class TelegramControlApi
{
    public static RouteGroupBuilder MapTelegramControlApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/sandbox/telegram").WithTags("Telegram Sandbox control").DisableAntiforgery();
        api.MapBotEndpoints();
        api.MapInjectionEndpoints();
        api.MapInspectionEndpoints();
        api.MapBehaviourEndpoints();
        api.MapMigrationEndpoints();
        return api;
    }
}
