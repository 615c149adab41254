using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>At most <see cref="IngestOptions.ConcurrencyLimit"/> update handlers at once, whichever batches they came in.</summary>
internal sealed class HandlerSlots(IOptions<IngestOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.ConcurrencyLimit, options.Value.ConcurrencyLimit);

    public async Task RunAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
