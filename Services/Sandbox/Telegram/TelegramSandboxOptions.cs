using System.ComponentModel.DataAnnotations;

namespace Atlas.Sandbox.Telegram;

/// <summary>The Telegram stand-in: bots known from the start and the limits of one call. Section <c>Sandbox:Telegram</c>.</summary>
internal sealed class TelegramSandboxOptions
{
    public const string Section = "Sandbox:Telegram";

    /// <summary>Bots that exist as soon as the Sandbox starts (the AppHost configures the gateway's one here).</summary>
    public IList<PreconfiguredBot> Bots { get; init; } = [];

    /// <summary>The longest a getUpdates long poll waits, whatever <c>timeout</c> asks for.</summary>
    [Range(0, 3600)]
    public int MaxLongPollSeconds { get; init; } = 50;

    /// <summary>How many Bot API calls each bot's action log keeps; the oldest are forgotten first.</summary>
    [Range(1, 1_000_000)]
    public int MaxActionsPerBot { get; init; } = 10_000;
}

/// <summary>A bot configured under <c>Sandbox:Telegram:Bots:N</c>.</summary>
internal sealed class PreconfiguredBot
{
    public string? Token { get; init; }

    public string? Username { get; init; }

    public string? FirstName { get; init; }
}
