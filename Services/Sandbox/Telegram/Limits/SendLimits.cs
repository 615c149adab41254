namespace Atlas.Sandbox.Telegram.Limits;

/// <summary>One bot's send limits; 0 means unlimited. Also the control API's limits body.</summary>
internal sealed record SendLimits(double PerChatPerSecond, int PerChatBurst, int PerGroupPerMinute, int GlobalPerSecond)
{
    /// <summary>The first problem with these values, or null when they are usable.</summary>
    public string? Problem() =>
        PerChatPerSecond < 0 || double.IsNaN(PerChatPerSecond) || double.IsInfinity(PerChatPerSecond) ? "perChatPerSecond must be 0 or more."
        : PerChatBurst < 0 ? "perChatBurst must be 0 or more."
        : PerGroupPerMinute < 0 ? "perGroupPerMinute must be 0 or more."
        : GlobalPerSecond < 0 ? "globalPerSecond must be 0 or more."
        : null;
}
