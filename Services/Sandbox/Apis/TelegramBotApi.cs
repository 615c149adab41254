using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.BotApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Sandbox.Apis;

/// <summary>
/// The Telegram Bot API at Telegram's own paths: <c>GET|POST /bot&lt;token&gt;/&lt;method&gt;</c>, method names in any
/// letter case, answered with Telegram's JSON envelope and with the HTTP status equal to error_code.
/// </summary>
internal static class TelegramBotApi
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static RouteGroupBuilder MapTelegramBotApi(this IEndpointRouteBuilder app)
    {
        // Not "/bot{token}": ASP.NET matches a complex segment's literal from the right, so a token whose secret holds
        // "bot" (about one in a thousand) would miss the route. The whole segment is taken and the prefix checked.
        var api = app.MapGroup("/{botToken:regex(^bot)}").WithTags("Telegram Bot API");
        api.MapMethods("/{method}", [HttpMethods.Get, HttpMethods.Post], CallAsync)
            .WithName("TelegramBotApiCall")
            .DisableAntiforgery();
        return api;
    }

    public static async Task<JsonHttpResult<JsonObject>> CallAsync(
        string botToken, string method, HttpRequest request, BotApiDispatcher dispatcher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(botToken);
        var result = await dispatcher.HandleAsync(botToken["bot".Length..], method, request, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(result.ToEnvelope(), Json, statusCode: result.Ok ? StatusCodes.Status200OK : result.ErrorCode);
    }
}
