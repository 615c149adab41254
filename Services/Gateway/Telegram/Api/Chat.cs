namespace Atlas.Gateway.Telegram.Api;

/// <summary>A Telegram chat: <c>private</c>, <c>group</c>, <c>supergroup</c> or <c>channel</c>.</summary>
public sealed record Chat
{
    public required long Id { get; init; }
    public required string Type { get; init; }
    public string? Title { get; init; }
    public string? Username { get; init; }
    public string? FirstName { get; init; }

    public bool IsPrivate => Type == "private";

    public bool IsGroup => Type is "group" or "supergroup";
}
