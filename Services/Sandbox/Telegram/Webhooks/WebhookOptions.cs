using System.ComponentModel.DataAnnotations;

namespace Atlas.Sandbox.Telegram.Webhooks;

/// <summary>How the Sandbox delivers updates to a webhook; section <c>Sandbox:Telegram:Webhook</c>.</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Sandbox:Telegram:Webhook";

    /// <summary>How long one delivery may take before it counts as failed (Telegram waits about a minute).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The wait before the first retry of a failed delivery; each further failure doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two delivery attempts of one update.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);
}
