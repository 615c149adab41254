using Atlas.Gateway.Diagnostics;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Token;

/// <summary>
/// The bot token every Bot API call uses now: <see cref="TelegramOptions.BotToken"/>, or the token a rotation put in
/// <see cref="RotatedTokenFile"/> in its place. <c>TelegramModeCoordinator</c> changes it (through
/// <see cref="BotTokenRotation"/>) while no receiver runs; senders pick the new one up at their next call.
/// </summary>
public sealed class BotTokenSource
{
    private readonly Lock _gate = new();
    private string _current;

    internal BotTokenSource(IOptions<TelegramOptions> options, RotatedTokenFile file, ILogger<BotTokenSource> logger)
    {
        Configured = options.Value.BotToken;
        string? rotated = null;
        try
        {
            rotated = file.TokenFor(Configured);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            GatewayLog.RotatedTokenUnreadable(logger, exception.GetType().Name);
        }

        if (rotated is not null && rotated != Configured)
        {
            GatewayLog.RotatedTokenInUse(logger, BotIdOf(rotated));
        }

        _current = rotated ?? Configured;
    }

    /// <summary>The token in the configuration (what a rotation replaces in the file's record).</summary>
    public string Configured { get; }

    public string Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>The bot id a token starts with ("&lt;bot id&gt;:&lt;secret&gt;"), or null for a token of another shape.</summary>
    public static long? BotIdOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && long.TryParse(token.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
    }

    /// <summary>Switches to <paramref name="token"/>.</summary>
    public void Use(string token)
    {
        lock (_gate)
        {
            _current = token;
        }
    }
}
