namespace Atlas.Gateway.Telegram.Api;

/// <summary>A Telegram user or bot.</summary>
public sealed record User
{
    public required long Id { get; init; }
    public bool IsBot { get; init; }
    public string FirstName { get; init; } = "";
    public string? LastName { get; init; }
    public string? Username { get; init; }
    public string? LanguageCode { get; init; }
}
