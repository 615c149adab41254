using System.Globalization;
using System.Text.Json;
using Atlas.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Atlas.ServiceDefaults.Audit;

/// <summary>
/// <c>GET /ops/audit?from=&amp;to=</c>, behind the service's ops key: its ops audit log as JSON Lines
/// (<c>application/x-ndjson</c>), one row per line, oldest first, streamed as it is read. <c>from</c> (inclusive) and
/// <c>to</c> (exclusive) are ISO 8601 instants, either may be left out; a bad one is a 400 problem.
/// </summary>
public static class OpsAuditApi
{
    public const string Path = "/ops/audit";
    public const string ContentType = "application/x-ndjson";

    /// <summary>The shape of each line: camelCase names, null members kept (every line has every field).</summary>
    public static readonly JsonSerializerOptions LineFormat = new(JsonSerializerDefaults.Web);

    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    public static RouteHandlerBuilder MapOpsAuditApi(this IEndpointRouteBuilder app, string opsKeyPath)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapGet(Path, Export).RequireOpsKey(opsKeyPath).WithName("ExportOpsAudit").WithTags("Ops audit");
    }

    public static Results<PushStreamHttpResult, ProblemHttpResult> Export(string? from, string? to, OpsAudit audit, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(context);
        if (!TryParse(from, out var start) || !TryParse(to, out var end))
        {
            return TypedResults.Problem(
                "from and to must be ISO 8601 instants, such as 2026-03-02T05:00:00Z.", statusCode: StatusCodes.Status400BadRequest, title: "Bad audit range");
        }

        if (start is { } s && end is { } e && s > e)
        {
            return TypedResults.Problem("from must not be after to.", statusCode: StatusCodes.Status400BadRequest, title: "Bad audit range");
        }

        var cancellationToken = context.RequestAborted;
        return TypedResults.Stream(async body =>
        {
            var count = 0;
            await foreach (var record in audit.ReadAsync(start, end, cancellationToken).ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(body, record, LineFormat, cancellationToken).ConfigureAwait(false);
                await body.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
                if (++count % 100 == 0)
                {
                    await body.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }, ContentType);
    }

    private static bool TryParse(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }
}
