namespace Atlas.Workflow.Notifications;

/// <summary><c>Workflow:Notifications</c>: the Telegram chats (moderators) told when the engine refuses work.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Workflow:Notifications";

    public IReadOnlyList<long> ModeratorChatIds { get; init; } = [];
}
