using System.Text.Json;

namespace Atlas.Gateway.Telegram.Api;

/// <summary>The Bot API envelope: <c>{"ok":true,"result":...}</c> or <c>{"ok":false,"error_code":..,"description":..}</c>.</summary>
internal sealed record ApiResponse
{
    public bool Ok { get; init; }
    public JsonElement Result { get; init; }
    public int? ErrorCode { get; init; }
    public string? Description { get; init; }
    public ResponseParameters? Parameters { get; init; }
}

internal sealed record ResponseParameters(int? RetryAfter, long? MigrateToChatId);
