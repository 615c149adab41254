using System.ComponentModel.DataAnnotations;
using Telegram.Bot.Types.Enums;

namespace Atlas.Gateway.Telegram;

/// <summary>The <c>Telegram</c> configuration section: which bot, where its API is, and how updates arrive.</summary>
public sealed class TelegramOptions
{
    public const string SectionName = "Telegram";

    /// <summary>The path of the webhook endpoint on this service; Telegram is told <see cref="WebhookBaseUrl"/> + this.</summary>
    public const string WebhookPath = "/telegram/webhook";

    /// <summary>The bot token from @BotFather (a secret: environment, user secrets or AppHost parameter only).</summary>
    [Required(ErrorMessage = "Telegram:BotToken is required (or BOT_TOKEN); without a token the AppHost points the gateway at the Sandbox.")]
    public string BotToken { get; init; } = "";

    /// <summary>
    /// Where a token set by a rotation (<c>POST /admin/telegram/token</c>) is kept (0600) so that it outlives a restart;
    /// empty: a rotated token lasts until the process ends. The AppHost points it into its data folder.
    /// </summary>
    public string? RotatedTokenFile { get; init; }

    /// <summary>Telegram's Bot API, or the Sandbox's.</summary>
    [Required]
    public Uri ApiBaseUrl { get; init; } = new("https://api.telegram.org");

    public TelegramMode Mode { get; init; } = TelegramMode.Polling;

    /// <summary>The public base URL Telegram reaches this service on (webhook mode).</summary>
    public Uri? WebhookBaseUrl { get; init; }

    /// <summary>Sent by Telegram in <c>X-Telegram-Bot-Api-Secret-Token</c>; 1-256 of A-Z a-z 0-9 _ -.</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,256}$", ErrorMessage = "Telegram:WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and -.")]
    public string? WebhookSecret { get; init; }

    /// <summary>Telegram's max_connections for the webhook (1-100).</summary>
    [Range(1, 100)]
    public int WebhookMaxConnections { get; init; } = 40;

    /// <summary>Largest webhook body accepted; bigger bodies get 413.</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public int WebhookMaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Long-polling timeout passed to getUpdates.</summary>
    [Range(0, 50)]
    public int PollingTimeoutSeconds { get; init; } = 25;

    /// <summary>Updates asked for per getUpdates call (1-100).</summary>
    [Range(1, 100)]
    public int PollingBatchSize { get; init; } = 100;

    /// <summary>The update types the bot subscribes to (setWebhook and getUpdates allowed_updates); null: <see cref="DefaultAllowedUpdates"/>.</summary>
    public IReadOnlyList<string>? AllowedUpdates { get; init; }

    public static IReadOnlyList<string> DefaultAllowedUpdates { get; } =
        ["message", "edited_message", "callback_query", "my_chat_member", "chat_member"];

    public IReadOnlyList<string> EffectiveAllowedUpdates => AllowedUpdates is { Count: > 0 } ? AllowedUpdates : DefaultAllowedUpdates;

    /// <summary><see cref="EffectiveAllowedUpdates"/> as Telegram.Bot's update types ("my_chat_member" is MyChatMember).</summary>
    public IReadOnlyList<UpdateType> AllowedUpdateTypes => EffectiveAllowedUpdates.Select(name => UpdateTypeOf(name) ?? UpdateType.Unknown).ToList();

    /// <summary>The update type Telegram calls <paramref name="name"/>, or null when there is none.</summary>
    public static UpdateType? UpdateTypeOf(string name) =>
        name is not null && !name.Any(char.IsDigit)
        && Enum.TryParse<UpdateType>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var type)
        && type != UpdateType.Unknown
            ? type
            : null;

    /// <summary>How long a getMe answer is trusted by the readiness check.</summary>
    public TimeSpan ReachabilityCacheDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a failed getMe answer is trusted by the readiness check before it asks again.</summary>
    public TimeSpan ReachabilityFailureCacheDuration { get; init; } = TimeSpan.FromSeconds(3);
}
