using System.Text;
using Atlas.Contracts.Telegram;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram;
using Atlas.Gateway.Telegram.Ingest;
using Atlas.Gateway.Telegram.Webhook;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Apis;

/// <summary>
/// Telegram's webhook: <c>POST /telegram/webhook</c>. The secret header is checked (constant time) before the body is
/// read; the body is capped and scanned once (<see cref="UpdateEnvelope"/>: well-formed JSON with an update_id, or a
/// 400 problem); the update joins the ingest batch being formed and is answered 200 as soon as the broker confirmed
/// that batch (never after handlers), or 503 when the bus cannot take it so that Telegram delivers it again.
/// It accepts updates in either mode, so none is lost while the mode is being switched.
/// </summary>
internal static class TelegramWebhookApi
{
    public static RouteHandlerBuilder MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapPost(TelegramOptions.WebhookPath, ReceiveAsync)
            .WithName("TelegramWebhook")
            .WithTags("Telegram")
            .DisableAntiforgery();
    }

    public static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(HttpContext context, [AsParameters] WebhookServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = services.Time.GetTimestamp();
        var result = await ReceiveCoreAsync(context.Request, services, context.RequestAborted).ConfigureAwait(false);
        var status = result.Result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        services.Metrics.WebhookRequest(services.Time.GetElapsedTime(started), status);
        return result;
    }

    private static async Task<Results<Ok, ProblemHttpResult>> ReceiveCoreAsync(
        HttpRequest request, WebhookServices services, CancellationToken cancellationToken)
    {
        if (!services.Secret.Matches(request))
        {
            return Reject(services, StatusCodes.Status401Unauthorized, $"Missing or wrong {WebhookSecret.HeaderName} header.");
        }

        if (!request.HasJsonContentType())
        {
            return Reject(services, StatusCodes.Status415UnsupportedMediaType, "Telegram posts updates as application/json.");
        }

        var maxBytes = services.Options.Value.WebhookMaxBodyBytes;
        if (request.ContentLength > maxBytes)
        {
            return Reject(services, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {maxBytes} bytes.");
        }

        WebhookBody body;
        try
        {
            body = await WebhookBody.ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            // Kestrel's BadHttpRequestException is one: a body that ends before its Content-Length, or a client gone
            // mid-body. The sender is told (if it still listens) and Telegram delivers the update again.
            return Reject(services, StatusCodes.Status400BadRequest, "The request body could not be read to its end: " + exception.Message);
        }

        using var _ = body;
        if (body.TooLarge)
        {
            return Reject(services, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {maxBytes} bytes.");
        }

        if (UpdateEnvelope.TryRead(body.Span, out var error) is not { } envelope)
        {
            return Reject(services, StatusCodes.Status400BadRequest, error ?? "The body is not a Telegram update.");
        }

        var update = new TelegramUpdateReceived(envelope.UpdateId, envelope.Type, envelope.ChatId, Encoding.UTF8.GetString(body.Span), services.Time.GetUtcNow());
        try
        {
            await services.Ingest.AcceptAsync(update, cancellationToken).ConfigureAwait(false);
        }
        catch (BusUnavailableException exception)
        {
            GatewayLog.WebhookBusUnavailable(services.Logger, update.UpdateId, exception.Message);
            return TypedResults.Problem(
                "The update could not be queued right now; Telegram will deliver it again.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Ok();
    }

    private static ProblemHttpResult Reject(WebhookServices services, int status, string detail)
    {
        GatewayLog.WebhookRejected(services.Logger, status, detail);
        return TypedResults.Problem(detail, statusCode: status);
    }
}

/// <summary>What the webhook endpoint needs, bound as one parameter.</summary>
internal sealed class WebhookServices(
    WebhookSecret secret, UpdateIngest ingest, GatewayMetrics metrics, TimeProvider time, IOptions<TelegramOptions> options,
    ILogger<WebhookServices> logger)
{
    public WebhookSecret Secret { get; } = secret;
    public UpdateIngest Ingest { get; } = ingest;
    public GatewayMetrics Metrics { get; } = metrics;
    public TimeProvider Time { get; } = time;
    public IOptions<TelegramOptions> Options { get; } = options;
    public ILogger<WebhookServices> Logger { get; } = logger;
}
