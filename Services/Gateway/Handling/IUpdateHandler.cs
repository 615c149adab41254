using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Handling;

/// <summary>
/// Acts on one update. It does not know whether the update came by polling or webhook, and it is called at most
/// once per update_id (the caller deduplicates) and in order within a chat.
/// </summary>
public interface IUpdateHandler
{
    Task HandleAsync(Update update, CancellationToken cancellationToken) => HandleAsync(update, null, cancellationToken);

    /// <summary>Handles <paramref name="update"/> of an ingest batch, which may take over some of its effects.</summary>
    Task HandleAsync(Update update, IngestBatch? batch, CancellationToken cancellationToken);
}
