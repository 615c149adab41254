using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.Actions;
using Atlas.Sandbox.Telegram.Chats;
using Atlas.Sandbox.Telegram.Faults;
using Atlas.Sandbox.Telegram.Limits;
using Atlas.Sandbox.Telegram.Updates;
using Atlas.Sandbox.Telegram.Webhooks;

namespace Atlas.Sandbox.Telegram.Bots;

/// <summary>
/// Everything the Sandbox keeps about one bot. Every part is guarded by <see cref="Sync"/>: take it for any read or
/// change, keep no await inside it, and call <see cref="NotifyChanged"/> after a change waiters care about.
/// </summary>
internal sealed class SandboxBot(string token, string username, string firstName, SendLimits limits, long firstUpdateId, int actionCapacity)
    : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Id { get; } = BotToken.BotIdOf(token);

    /// <summary>The bot's current token; <see cref="BotRegistry.Rotate"/> replaces it (the old one then answers 401).</summary>
    public string Token { get; private set; } = token;

    public string Username { get; } = username;

    public string FirstName { get; } = firstName;

    public Lock Sync { get; } = new();

    public UpdateQueue Updates { get; } = new(firstUpdateId);

    public WebhookState Webhook { get; } = new();

    public ChatDirectory Chats { get; } = new();

    public SendRateLimiter Limits { get; } = new(limits);

    public FaultQueue Faults { get; } = new();

    public ActionLog Actions { get; } = new(actionCapacity);

    /// <summary>The bot's commands per scope and language (setMyCommands).</summary>
    public Dictionary<string, JsonArray> Commands { get; } = new(StringComparer.Ordinal);

    /// <summary>Callback queries sent to the bot and not answered yet, by id.</summary>
    public Dictionary<string, long> OpenCallbackQueries { get; } = new(StringComparer.Ordinal);

    /// <summary>The getUpdates request now waiting, completed when another one replaces it.</summary>
    public TaskCompletionSource? ActivePoll { get; set; }

    /// <summary>Cancelled when the bot is forgotten, which ends its webhook delivery.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Completes at the next <see cref="NotifyChanged"/>; read it under <see cref="Sync"/> together with the state it waits on.</summary>
    public Task Changed => _changed.Task;

    /// <summary>The bot as a Telegram User object.</summary>
    public JsonObject ToUser() => new()
    {
        ["id"] = Id,
        ["is_bot"] = true,
        ["first_name"] = FirstName,
        ["username"] = Username,
    };

    /// <summary>Gives the bot <paramref name="token"/> (same bot id). Only <see cref="BotRegistry"/> calls this, under its own lock.</summary>
    internal void ChangeToken(string token)
    {
        lock (Sync)
        {
            Token = token;
            NotifyChanged();
        }
    }

    /// <summary>Wakes long polls and webhook workers. Call under <see cref="Sync"/>.</summary>
    public void NotifyChanged()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
