using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Atlas.AppHost.Ops;

/// <summary>
/// The smoke user against the real Telegram, where no one can write to the bot on a user's behalf: the smoke test
/// hands the gateway updates from the ops chat (<c>Atlas:Smoke:OpsChatId</c>, a private chat of an ops user with
/// the bot) on its webhook, with the webhook secret, and sees each one handled by the gateway's
/// <c>luka_handlers_success_total{handler}</c> moving. The bot's answers go to the ops chat, where the operator reads
/// them; the Bot API cannot read them back, so a step passes on the handler's success, not on the answer's text.
/// </summary>
internal sealed class OpsChatWebhook(HttpClient http, OpsHttp ops, string webhookSecret, long opsChatId, TimeProvider time) : ISmokeChat
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    public string Description => "the ops chat on the real Telegram (updates handed to the gateway's webhook)";

    public async Task<string> AskAsync(string text, string handler, Func<string, bool> matches, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var label = $"handler=\"{handler}\"";
        var before = await ops.ScrapeSumAsync(ops.Stack.Gateway, "luka_handlers_success_total", label, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ops.Stack.Gateway, "telegram/webhook"))
        {
            Content = System.Net.Http.Json.JsonContent.Create(Update(text, opsChatId, time.GetUtcNow())),
        };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", webhookSecret);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new SmokeStepException($"the gateway's webhook refused the update ({(int)response.StatusCode})");
        }

        var started = time.GetTimestamp();
        while (await ops.ScrapeSumAsync(ops.Stack.Gateway, "luka_handlers_success_total", label, cancellationToken).ConfigureAwait(false) <= before)
        {
            if (time.GetElapsedTime(started) >= timeout)
            {
                throw new SmokeStepException($"the gateway's '{handler}' handler did not succeed within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(PollEvery, time, cancellationToken).ConfigureAwait(false);
        }

        return $"handled by '{handler}'; the answer is in the ops chat";
    }

    public Task<long> MarkAsync(CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task<string> WaitForBotMessageAsync(long mark, Func<string, bool> matches, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult("the workflow's message goes to the ops chat");

    public void Dispose()
    {
        // The HttpClient belongs to the caller.
    }

    /// <summary>
    /// A Telegram Update of a private text message from the ops user. Its update_id is drawn from a range above the
    /// ids Telegram hands out, so it never collides with a real update in the gateway's duplicate filter.
    /// </summary>
    public static JsonObject Update(string text, long chatId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var message = new JsonObject
        {
            ["message_id"] = RandomNumberGenerator.GetInt32(1, int.MaxValue),
            ["date"] = now.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Atlas smoke" },
            ["from"] = new JsonObject { ["id"] = chatId, ["is_bot"] = false, ["first_name"] = "Atlas smoke", ["language_code"] = "en" },
            ["text"] = text,
        };
        if (text.StartsWith('/'))
        {
            var length = text.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? space : text.Length;
            message["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = length });
        }

        return new JsonObject { ["update_id"] = 3_000_000_000L + RandomNumberGenerator.GetInt32(0, int.MaxValue), ["message"] = message };
    }
}
