using Atlas.Moderation.Audit;
using Atlas.Moderation.Settings;
using Atlas.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using System.Text;
using System.Text.Json.Serialization;

namespace Atlas.Moderation.Apis;

/// <summary>
/// The ops API (<c>X-Admin-Key</c>): per-chat settings, the ops-wide strictness switch, the audit export (CSV or JSON
/// Lines for a time range), violation trends and open appeals.
/// </summary>
public static class ModerationApi
{
    private static readonly TimeSpan LongestRange = TimeSpan.FromDays(366);

    public static RouteGroupBuilder MapModerationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/moderation").RequireOpsKey("Moderation:OpsApiKey").WithTags("Moderation");
        api.MapGet("/chats/{chatId:long}/settings", GetSettingsAsync).WithName("GetChatSettings");
        api.MapPut("/chats/{chatId:long}/settings", PutSettingsAsync).WithName("PutChatSettings");
        api.MapGet("/strictness", GetStrictnessAsync).WithName("GetStrictness");
        api.MapPut("/strictness", PutStrictnessAsync).WithName("PutStrictness");
        api.MapGet("/audit", ExportAudit).WithName("ExportAudit");
        api.MapGet("/trends", GetTrendsAsync).WithName("GetTrends");
        api.MapGet("/appeals", GetAppealsAsync).WithName("GetAppeals");
        return api;
    }

    public static async Task<Ok<ChatSettings>> GetSettingsAsync(long chatId, ChatSettingsStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.GetAsync(chatId, cancellationToken).ConfigureAwait(false));

    public static async Task<Results<Ok<ChatSettings>, ProblemHttpResult>> PutSettingsAsync(
        long chatId, [FromBody] ChatSettings? settings, ChatSettingsStore store, CancellationToken cancellationToken)
    {
        if (settings is null)
        {
            return TypedResults.Problem("The body must be the chat's settings as JSON.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (settings.Problem() is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid settings");
        }

        await store.SaveAsync(chatId, settings, null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(settings);
    }

    public static async Task<Ok<Strictness>> GetStrictnessAsync(ChatSettingsStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new Strictness(await store.GetGlobalStrictAsync(cancellationToken).ConfigureAwait(false)));

    public static async Task<Results<Ok<Strictness>, ProblemHttpResult>> PutStrictnessAsync(
        [FromBody] Strictness? strictness, ChatSettingsStore store, CancellationToken cancellationToken)
    {
        if (strictness is null)
        {
            return TypedResults.Problem("The body must be {\"strict\": true|false}.", statusCode: StatusCodes.Status400BadRequest);
        }

        await store.SetGlobalStrictAsync(strictness.Strict, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(strictness);
    }

    public static Results<PushStreamHttpResult, ProblemHttpResult> ExportAudit(
        [AsParameters] AuditQuery query, AuditReader reader, CancellationToken cancellationToken)
    {
        if (query.Problem() is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid export request");
        }

        var csv = query.Format is null or "csv";
        return TypedResults.Stream(
            async stream =>
            {
                await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                if (csv)
                {
                    await writer.WriteLineAsync(AuditFormats.CsvHeader).ConfigureAwait(false);
                }

                await foreach (var record in reader.ReadAsync(query.From!.Value, query.To!.Value, query.ChatId, cancellationToken).ConfigureAwait(false))
                {
                    await writer.WriteLineAsync(csv ? AuditFormats.CsvLine(record) : AuditFormats.JsonLine(record)).ConfigureAwait(false);
                }
            },
            csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8",
            csv ? "moderation-audit.csv" : "moderation-audit.jsonl");
    }

    public static async Task<Results<Ok<IReadOnlyList<TrendPoint>>, ProblemHttpResult>> GetTrendsAsync(
        [AsParameters] AuditQuery query, AuditReader reader, CancellationToken cancellationToken)
    {
        if ((query with { Format = null }).Problem() is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid trends request");
        }

        return TypedResults.Ok(await reader.TrendsAsync(query.From!.Value, query.To!.Value, query.ChatId, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<Ok<List<OpenAppeal>>> GetAppealsAsync(long? chatId, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT appeal_id, chat_id, user_id, action, text, submitted_at FROM appeals
            WHERE status = 'open' AND ($1::bigint IS NULL OR chat_id = $1) ORDER BY appeal_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)chatId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        var appeals = new List<OpenAppeal>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            appeals.Add(new OpenAppeal(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return TypedResults.Ok(appeals);
    }

    /// <summary>The query of an export or trends request: <c>from</c> and <c>to</c> (ISO 8601), optional <c>chatId</c> and <c>format</c>.</summary>
    public sealed record AuditQuery(DateTimeOffset? From, DateTimeOffset? To, long? ChatId, string? Format)
    {
        public string? Problem() => this switch
        {
            { From: null } or { To: null } => "Give the time range as from=...&to=... (ISO 8601).",
            _ when To <= From => "to must be after from.",
            _ when To - From > LongestRange => "The range may span at most 366 days.",
            { Format: not (null or "csv" or "jsonl") } => "format must be csv or jsonl.",
            _ => null,
        };
    }
}

/// <summary>
/// The ops-wide strictness: true makes every chat strict (on top of chats strict by their own setting). <c>strict</c>
/// must be given: a body without it is refused, not read as false.
/// </summary>
public sealed record Strictness([property: JsonRequired] bool Strict);

/// <summary>An appeal waiting for an admin.</summary>
public sealed record OpenAppeal(long AppealId, long ChatId, long UserId, string Action, string Text, DateTimeOffset SubmittedAt);
