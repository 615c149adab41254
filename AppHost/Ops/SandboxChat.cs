using Atlas.AppHost.Sandbox;

namespace Atlas.AppHost.Ops;

/// <summary>
/// The smoke user in the Sandbox's Telegram: writes through the user-side API
/// (<c>POST /sandbox/telegram/bots/{token}/messages</c>) and reads the bot's answers from the chat's messages
/// (<c>GET .../chats/{chatId}/messages</c>), both through <see cref="SandboxClient"/>. The bot token only travels in
/// the request path, never into output.
/// </summary>
internal sealed class SandboxChat(SandboxClient sandbox, long userId, TimeProvider time) : ISmokeChat
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    public string Description => "the Sandbox's Telegram";

    public async Task<string> AskAsync(string text, string handler, Func<string, bool> matches, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long messageId;
        try
        {
            messageId = await sandbox.SendUserMessageAsync(userId, "Atlas smoke", text, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (exception.StatusCode is { } status)
        {
            throw new SmokeStepException($"the Sandbox refused the user's message ({(int)status})");
        }

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
        // The HttpClient behind the Sandbox client belongs to the caller.
    }

    private async Task<IReadOnlyList<SandboxClient.ChatMessage>> MessagesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await sandbox.ChatMessagesAsync(userId, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (exception.StatusCode is { } status)
        {
            throw new SmokeStepException($"the Sandbox did not list the chat's messages ({(int)status})");
        }
    }
}
