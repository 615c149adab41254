namespace Atlas.Gateway.Telegram.Api;

/// <summary>A press on an inline keyboard button.</summary>
public sealed record CallbackQuery
{
    public required string Id { get; init; }
    public required User From { get; init; }
    public Message? Message { get; init; }
    public string? ChatInstance { get; init; }
    public string? Data { get; init; }
}
