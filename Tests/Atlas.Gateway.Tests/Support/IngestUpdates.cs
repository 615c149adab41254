using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Atlas.Gateway.Tests.Support;

/// <summary>Updates and webhook requests the ingest tests build by hand.</summary>
public static class IngestUpdates
{
    private static long _next = 700_000_000 + (Random.Shared.NextInt64(0, 1_000_000) * 100);

    /// <summary>An update_id no other test of this run uses.</summary>
    public static long NextUpdateId() => Interlocked.Increment(ref _next);

    /// <summary>A text message from <paramref name="userId"/> in group <paramref name="chatId"/>, as Telegram sends it.</summary>
    public static JsonObject GroupMessage(long updateId, long chatId, long userId, string text, long? messageId = null) => new()
    {
        ["update_id"] = updateId,
        ["message"] = new JsonObject
        {
            ["message_id"] = messageId ?? updateId % 1_000_000,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "group", ["title"] = "Ingest tests" },
            ["from"] = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = "Tester", ["language_code"] = "en" },
            ["text"] = text,
        },
    };

    /// <summary>A webhook POST of <paramref name="body"/> with the secret header (when given) and a JSON content type.</summary>
    public static HttpRequestMessage WebhookRequest(byte[] body, string? secret, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/telegram/webhook", UriKind.Relative))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        return request;
    }

    public static HttpRequestMessage WebhookRequest(JsonNode update, string? secret) =>
        WebhookRequest(Encoding.UTF8.GetBytes(update.ToJsonString()), secret);

    /// <summary>A group chat id (negative, as Telegram's are) unique to this test run.</summary>
    public static long NewGroupId() => -long.Parse(
        string.Create(CultureInfo.InvariantCulture, $"4{Random.Shared.Next(10_000_000, 99_999_999)}"), CultureInfo.InvariantCulture);
}
