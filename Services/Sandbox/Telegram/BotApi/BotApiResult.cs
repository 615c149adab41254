using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.BotApi;

/// <summary>What a Bot API method answers: a result, or an error with Telegram's code and description.</summary>
internal sealed record BotApiResult(bool Ok, JsonNode? Result, int ErrorCode, string? Description, int? RetryAfter = null, long? MigrateToChatId = null)
{
    public static BotApiResult Success(JsonNode? result, string? description = null) => new(true, result, 200, description);

    public static BotApiResult True(string? description = null) => Success(JsonValue.Create(true), description);

    public static BotApiResult Error(int code, string description, int? retryAfter = null) => new(false, null, code, description, retryAfter);

    /// <summary>400 with "Bad Request: " before <paramref name="detail"/>.</summary>
    public static BotApiResult BadRequest(string detail) => Error(400, "Bad Request: " + detail);

    /// <summary>403 with "Forbidden: " before <paramref name="detail"/>.</summary>
    public static BotApiResult Forbidden(string detail) => Error(403, "Forbidden: " + detail);

    public static BotApiResult TooManyRequests(int retryAfter) => Error(429, $"Too Many Requests: retry after {retryAfter}", retryAfter);

    public static readonly BotApiResult Unauthorized = Error(401, "Unauthorized");

    public static readonly BotApiResult NotFound = Error(404, "Not Found");

    public static readonly BotApiResult ChatNotFound = BadRequest("chat not found");

    /// <summary>400 for a group that became a supergroup, naming it in parameters.migrate_to_chat_id.</summary>
    public static BotApiResult Migrated(long supergroupId) =>
        new(false, null, 400, "Bad Request: group chat was upgraded to a supergroup chat", MigrateToChatId: supergroupId);

    /// <summary>The JSON envelope Telegram answers with: {"ok":true,"result":...} or {"ok":false,"error_code":...,"description":...}.</summary>
    public JsonObject ToEnvelope()
    {
        if (Ok)
        {
            return new JsonObject { ["ok"] = true, ["result"] = Result?.DeepClone().WithoutNulls() }.SetText("description", Description);
        }

        var envelope = new JsonObject { ["ok"] = false, ["error_code"] = ErrorCode, ["description"] = Description };
        if (RetryAfter is not null || MigrateToChatId is not null)
        {
            envelope["parameters"] = new JsonObject()
                .Set("migrate_to_chat_id", MigrateToChatId is { } chatId ? JsonValue.Create(chatId) : null)
                .Set("retry_after", RetryAfter is { } seconds ? JsonValue.Create(seconds) : null);
        }

        return envelope;
    }
}
