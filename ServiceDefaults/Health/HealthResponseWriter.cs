using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Atlas.ServiceDefaults.Health;

/// <summary>
/// JSON bodies of the runbook probes. <c>/healthz</c>: <c>{"status":"healthy"}</c>. <c>/readyz</c>: the overall
/// status and one entry per dependency with its status, duration and a short reason when it is not healthy.
/// Exception texts are not written: a reason names the failure, never a connection string.
/// </summary>
public static class HealthResponseWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    public static Task WriteStatusOnly(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        return WriteAsync(context, report, includeEntries: false);
    }

    public static Task WriteDetailed(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        return WriteAsync(context, report, includeEntries: true);
    }

    private static async Task WriteAsync(HttpContext context, HealthReport report, bool includeEntries)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body, WriterOptions);
        json.WriteStartObject();
        json.WriteString("status", Name(report.Status));
        if (includeEntries)
        {
            json.WriteNumber("totalDurationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", Name(entry.Status));
                json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
                if (entry.Status != HealthStatus.Healthy)
                {
                    json.WriteString("reason", entry.Description ?? entry.Exception?.GetType().Name ?? "unknown");
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
