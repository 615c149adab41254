using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Atlas.AppHost.Ops;

/// <summary>
/// The smoke user in the Sandbox's Telegram: writes through the user-side API
/// (<c>POST /sandbox/telegram/bots/{token}/messages</c>) and reads the bot's answers from the chat's messages
/// (<c>GET .../chats/{chatId}/messages</c>). The bot token only travels in the request path, never into output.
/// </summary>
internal sealed class SandboxChat(HttpClient http, Uri sandbox, string botToken, long userId, TimeProvider time) : ISmokeChat
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    public string Description => "the Sandbox's Telegram";

    public async Task<string> AskAsync(string text, string handler, Func<string, bool> matches, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["userId"] = userId, ["firstName"] = "Atlas smoke", ["languageCode"] = "en", ["text"] = text };
        using var response = await http.PostAsJsonAsync(Control("messages"), body, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new SmokeStepException($"the Sandbox refused the user's message ({(int)response.StatusCode})");
        }

        var sent = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        var messageId = sent?["messageId"]?.GetValue<long>() ?? 0;
        return await WaitForBotMessageAsync(messageId, matches, timeout, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> MarkAsync(CancellationToken cancellationToken)
    {
        var messages = await MessagesAsync(cancellationToken).ConfigureAwait(false);
        return messages.Count == 0 ? 0 : messages.Max(m => m.Id);
    }

    public async Task<string> WaitForBotMessageAsync(long mark, Func<string, bool> matches, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var started = time.GetTimestamp();
        string? other = null;
        while (true)
        {
            var answers = (await MessagesAsync(cancellationToken).ConfigureAwait(false)).Where(m => m.FromBot && m.Id > mark).ToList();
            if (answers.FindIndex(m => matches(m.Text)) is var found and >= 0)
            {
                return answers[found].Text;
            }

            other = answers.Count > 0 ? answers[^1].Text : other;
            if (time.GetElapsedTime(started) >= timeout)
            {
                throw new SmokeStepException(other is null
                    ? $"no answer within {timeout.TotalSeconds:0} s"
                    : $"no matching answer within {timeout.TotalSeconds:0} s; the bot said: {SmokeReport.OneLine(other)}");
            }

            await Task.Delay(PollEvery, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        // The HttpClient belongs to the caller.
    }

    private async Task<List<(long Id, bool FromBot, string Text)>> MessagesAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(Control("chats/" + userId.ToString(CultureInfo.InvariantCulture) + "/messages"), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new SmokeStepException($"the Sandbox did not list the chat's messages ({(int)response.StatusCode})");
        }

        var list = await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken).ConfigureAwait(false) ?? [];
        return [.. list.OfType<JsonObject>()
            .Where(m => m["deleted"]?.GetValue<bool>() != true)
            .Select(m => (m["messageId"]!.GetValue<long>(), m["fromBot"]?.GetValue<bool>() == true, m["text"]?.GetValue<string>() ?? ""))];
    }

    private Uri Control(string path) => new(sandbox, $"sandbox/telegram/bots/{botToken}/{path}");
}
