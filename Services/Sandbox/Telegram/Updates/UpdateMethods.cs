using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.BotApi;
using Atlas.Sandbox.Telegram.Bots;
using Microsoft.Extensions.Options;

namespace Atlas.Sandbox.Telegram.Updates;

/// <summary>
/// getUpdates with Telegram's semantics: an offset confirms every update below it; a negative offset keeps only the
/// last -offset updates; limit is held to 1-100; a long poll returns as soon as an update arrives; a newer getUpdates
/// ends a waiting one with 409; and while a webhook is set the method answers 409.
/// </summary>
internal sealed class UpdateMethods(TimeProvider time, IOptions<TelegramSandboxOptions> options) : IBotApiMethodSet
{
    public static readonly BotApiResult TerminatedByOtherRequest = BotApiResult.Error(
        409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");

    public static readonly BotApiResult WebhookActive = BotApiResult.Error(
        409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");

    public IEnumerable<BotApiMethod> Methods => [new("getUpdates", GetUpdatesAsync)];

    private async Task<BotApiResult> GetUpdatesAsync(BotApiCall call, CancellationToken cancellationToken)
    {
        var bot = call.Bot;
        var offset = call.Long("offset") ?? 0;
        var limit = (int)Math.Clamp(call.Long("limit") ?? 100, 1, 100);
        var timeout = Math.Clamp(call.Long("timeout") ?? 0, 0, options.Value.MaxLongPollSeconds);
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(timeout);
        var poll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        lock (bot.Sync)
        {
            if (bot.Webhook.IsSet)
            {
                return WebhookActive;
            }

            bot.ActivePoll?.TrySetResult();
            bot.ActivePoll = poll;
            if (call.Parameters["allowed_updates"] is JsonArray allowed)
            {
                bot.Updates.AllowedUpdates = allowed.Select(a => a!.GetValue<string>()).ToList();
            }

            bot.Updates.Confirm(offset);
        }

        try
        {
            while (true)
            {
                Task changed;
                TimeSpan remaining;
                lock (bot.Sync)
                {
                    if (poll.Task.IsCompleted)
                    {
                        return TerminatedByOtherRequest;
                    }

                    if (bot.Webhook.IsSet)
                    {
                        return WebhookActive;
                    }

                    var updates = bot.Updates.From(Math.Max(offset, 0), limit);
                    remaining = deadline - time.GetUtcNow();
                    if (updates.Count > 0 || remaining <= TimeSpan.Zero)
                    {
                        return BotApiResult.Success(new JsonArray([.. updates]));
                    }

                    changed = bot.Changed;
                }

                await BotWaits.WaitAsync(remaining, time, cancellationToken, changed, poll.Task).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (bot.Sync)
            {
                if (bot.ActivePoll == poll)
                {
                    bot.ActivePoll = null;
                }
            }
        }
    }
}
