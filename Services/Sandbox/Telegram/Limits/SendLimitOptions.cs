using System.ComponentModel.DataAnnotations;

namespace Atlas.Sandbox.Telegram.Limits;

/// <summary>
/// Telegram's send limits as defaults for new bots; section <c>Sandbox:Telegram:Limits</c>. A value of 0 means unlimited.
/// </summary>
internal sealed class SendLimitOptions
{
    public const string Section = "Sandbox:Telegram:Limits";

    /// <summary>Steady rate of messages one chat may receive (Telegram: about one per second).</summary>
    [Range(0, 1000)]
    public double PerChatPerSecond { get; init; } = 1;

    /// <summary>How many messages one chat may receive at once before the steady rate applies.</summary>
    [Range(0, 1000)]
    public int PerChatBurst { get; init; } = 3;

    /// <summary>Messages one group may receive in any 60 seconds (Telegram: 20).</summary>
    [Range(0, 100_000)]
    public int PerGroupPerMinute { get; init; } = 20;

    /// <summary>Messages the bot may send in any one second across all chats (Telegram: 30).</summary>
    [Range(0, 100_000)]
    public int GlobalPerSecond { get; init; } = 30;

    public SendLimits ToLimits() => new(PerChatPerSecond, PerChatBurst, PerGroupPerMinute, GlobalPerSecond);
}
