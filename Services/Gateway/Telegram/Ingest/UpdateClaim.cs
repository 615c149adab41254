namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// The right to handle one update. While held, a background loop renews the Redis lease. <see cref="CompleteAsync"/>
/// marks the update handled; disposing without completing releases the lease so a retry can take it at once.
/// </summary>
internal sealed class UpdateClaim : IAsyncDisposable
{
    /// <summary>The update was handled already: do nothing.</summary>
    public static readonly UpdateClaim Duplicate = new(isDuplicate: true);

    /// <summary>Redis is unavailable: handle without the guard (at least once).</summary>
    public static readonly UpdateClaim Unguarded = new(isDuplicate: false);

    private readonly UpdateDeduplicator? _owner;
    private readonly long _updateId;
    private readonly string _token = "";
    private readonly CancellationTokenSource? _renewal;
    private readonly Task _renewing = Task.CompletedTask;
    private bool _completed;

    private UpdateClaim(bool isDuplicate) => IsDuplicate = isDuplicate;

    public UpdateClaim(UpdateDeduplicator owner, long updateId, string token)
    {
        _owner = owner;
        _updateId = updateId;
        _token = token;
        _renewal = new CancellationTokenSource();
        _renewing = RenewAsync(_renewal.Token);
    }

    public bool IsDuplicate { get; }

    /// <summary>Marks the update handled (after the handler succeeded).</summary>
    public async Task CompleteAsync()
    {
        if (_owner is null || _completed)
        {
            return;
        }

        await StopRenewingAsync().ConfigureAwait(false);
        await _owner.CompleteAsync(_updateId, _token).ConfigureAwait(false);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_owner is null)
        {
            return;
        }

        await StopRenewingAsync().ConfigureAwait(false);
        if (!_completed)
        {
            await _owner.ReleaseAsync(_updateId, _token).ConfigureAwait(false);
            _completed = true;
        }

        _renewal?.Dispose();
    }

    private async Task StopRenewingAsync()
    {
        if (_renewal is { IsCancellationRequested: false })
        {
            await _renewal.CancelAsync().ConfigureAwait(false);
        }

        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_owner!.RenewInterval, _owner.Time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await _owner.RenewAsync(_updateId, _token).ConfigureAwait(false);
        }
    }
}
