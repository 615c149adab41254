using System.Collections.Concurrent;
using Atlas.Sandbox.Telegram.Limits;
using Microsoft.Extensions.Options;

namespace Atlas.Sandbox.Telegram.Bots;

/// <summary>The bots the Sandbox knows, by token; configured ones exist from the start. Thread-safe.</summary>
internal sealed class BotRegistry : IDisposable
{
    private static readonly DateTimeOffset UpdateIdEpoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentDictionary<string, SandboxBot> _bots = new(StringComparer.Ordinal);
    private readonly Lock _rotation = new();
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<SendLimitOptions> _limits;
    private readonly TelegramSandboxOptions _options;

    public BotRegistry(TimeProvider time, IOptions<TelegramSandboxOptions> options, IOptionsMonitor<SendLimitOptions> limits)
    {
        _time = time;
        _limits = limits;
        _options = options.Value;
        foreach (var bot in _options.Bots)
        {
            if (!BotToken.IsWellFormed(bot.Token))
            {
                throw new OptionsValidationException(
                    TelegramSandboxOptions.Section + ":Bots",
                    typeof(TelegramSandboxOptions),
                    ["Every configured bot needs a Token of Telegram's shape, <bot id>:<secret> (6-12 digits, a colon, 30-64 of A-Z a-z 0-9 _ -)."]);
            }

            TryAdd(bot.Token!, bot.Username, bot.FirstName, out _);
        }
    }

    public IEnumerable<SandboxBot> All => _bots.Values.OrderBy(b => b.Id);

    /// <summary>The bot with <paramref name="token"/>, or null for an unknown or malformed token.</summary>
    public SandboxBot? Find(string? token) =>
        token is not null && _bots.TryGetValue(token, out var bot) ? bot : null;

    /// <summary>Creates a bot; false when the token is taken. Username and first name get defaults from the bot id.</summary>
    public bool TryAdd(string token, string? username, string? firstName, out SandboxBot bot)
    {
        var botId = BotToken.BotIdOf(token);
        var created = new SandboxBot(
            token,
            string.IsNullOrWhiteSpace(username) ? $"sandbox_{botId}_bot" : username.TrimStart('@'),
            string.IsNullOrWhiteSpace(firstName) ? "Sandbox Bot" : firstName,
            _limits.CurrentValue.ToLimits(),
            FirstUpdateId(),
            _options.MaxActionsPerBot);
        if (_bots.TryAdd(token, created))
        {
            bot = created;
            return true;
        }

        created.Dispose();
        bot = _bots[token];
        return false;
    }

    /// <summary>The outcome of <see cref="Rotate"/>.</summary>
    public enum Rotation
    {
        Rotated,
        UnknownBot,
        OtherBot,
        TokenTaken,
    }

    /// <summary>
    /// Replaces <paramref name="oldToken"/> with <paramref name="newToken"/> for the same bot, as @BotFather's /revoke
    /// does: from now on the old token is unknown (401) and the bot keeps its chats, queued updates and webhook.
    /// </summary>
    public Rotation Rotate(string oldToken, string newToken)
    {
        lock (_rotation)
        {
            if (!_bots.TryGetValue(oldToken, out var bot))
            {
                return Rotation.UnknownBot;
            }

            if (BotToken.BotIdOf(newToken) != bot.Id)
            {
                return Rotation.OtherBot;
            }

            if (!_bots.TryAdd(newToken, bot))
            {
                return Rotation.TokenTaken;
            }

            bot.ChangeToken(newToken);
            _bots.TryRemove(oldToken, out _);
            return Rotation.Rotated;
        }
    }

    /// <summary>Forgets a bot and stops its webhook delivery; false when it was not known.</summary>
    public bool Remove(string token)
    {
        if (!_bots.TryRemove(token, out var bot))
        {
            return false;
        }

        bot.Dispose();
        return true;
    }

    public void Dispose()
    {
        foreach (var bot in _bots.Values)
        {
            bot.Dispose();
        }
    }

    // Update ids are 32-bit, as Telegram's are (its Update.update_id never needs more, and typed clients such as
    // Telegram.Bot read it as an int). They still grow across restarts of the Sandbox, so a gateway that remembers the
    // ids it saw never mistakes a new update for a repeat: ten ids per second of wall-clock time since 2024, which
    // leaves room for half a billion updates per run. Past the end of that range (early 2029) the start wraps round,
    // as Telegram's own ids restart at random after a quiet week.
    private long FirstUpdateId()
    {
        const long Room = 1L << 29;
        var tenths = (_time.GetUtcNow() - UpdateIdEpoch).Ticks / (TimeSpan.TicksPerSecond / 10);
        return 1 + (Math.Max(0, tenths) % (int.MaxValue - Room));
    }
}
