using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.Gateway.Telegram.Api;

/// <summary>The JSON shape of the Bot API: snake_case names, absent rather than null fields.</summary>
public static class TelegramJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
    };
}
