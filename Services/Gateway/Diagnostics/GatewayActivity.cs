using System.Diagnostics;

namespace Atlas.Gateway.Diagnostics;

/// <summary>
/// The gateway's own spans. A reply waits in the outbound queue, so the update that caused it has long finished when
/// it is sent: the queued message keeps that update's trace context and its send becomes a span of the same trace.
/// </summary>
internal static class GatewayActivity
{
    public const string SourceName = "Atlas.Gateway";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The W3C traceparent of the current span, to keep with work that continues later; null without one.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// Starts the span of one outbound send, as a child of <paramref name="traceParent"/> when it is a valid W3C
    /// traceparent (a new trace otherwise); null when nobody listens.
    /// </summary>
    public static Activity? StartOutboundSend(string? traceParent, long chatId, int attempt)
    {
        var parent = ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
        var activity = Source.StartActivity("telegram sendMessage", ActivityKind.Internal, parent);
        activity?.SetTag("telegram.chat_id", chatId);
        activity?.SetTag("atlas.outbound.attempt", attempt);
        return activity;
    }

    /// <summary>Starts the span of one run of a queued moderation action, in the trace of the work that queued it (see <see cref="StartOutboundSend"/>).</summary>
    public static Activity? StartModerationAction(string? traceParent, long chatId, string action, int attempt)
    {
        var parent = ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
        var activity = Source.StartActivity("telegram moderation " + action, ActivityKind.Internal, parent);
        activity?.SetTag("telegram.chat_id", chatId);
        activity?.SetTag("atlas.outbound.attempt", attempt);
        return activity;
    }
}
