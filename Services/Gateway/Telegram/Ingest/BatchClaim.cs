namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>How one update of a batch stands after <see cref="UpdateDeduplicator.ClaimBatchAsync"/>.</summary>
internal enum ClaimState
{
    /// <summary>Handled before: skip it.</summary>
    Handled = 0,

    /// <summary>Claimed by this batch: handle it, then complete it.</summary>
    Claimed = 1,

    /// <summary>Another copy is being handled right now: wait for it.</summary>
    Busy = 2,

    /// <summary>Redis is unavailable: handle it without the guard (at least once).</summary>
    Unguarded = 3,
}

/// <summary>
/// The claims one batch holds, under one token. While held, a background loop renews every open claim in one Redis
/// call. <see cref="CompleteAsync"/> marks an update handled; disposing releases the claims never completed (their
/// updates failed), so a redelivery can take them at once.
/// <para>
/// A claim whose update this batch has not begun can be handed over (<see cref="TryHandOver"/>) to an earlier batch of
/// this process holding another copy of the update: that batch's turn in the chat comes first, so waiting for this
/// one would wait for itself. Once handed over, <see cref="TryBegin"/> refuses the update here.
/// </para>
/// </summary>
internal sealed class BatchClaim : IAsyncDisposable
{
    private readonly UpdateDeduplicator _owner;
    private readonly string _token;
    private readonly Dictionary<long, ClaimState> _states = [];
    private readonly HashSet<long> _open = [];
    private readonly HashSet<long> _begun = [];
    private readonly HashSet<long> _handedOver = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _renewal = new();
    private readonly Task _renewing = Task.CompletedTask;

    public BatchClaim(UpdateDeduplicator owner, string token, IReadOnlyList<long> updateIds, IReadOnlyList<ClaimState> states)
    {
        ArgumentNullException.ThrowIfNull(updateIds);
        ArgumentNullException.ThrowIfNull(states);
        _owner = owner;
        _token = token;
        for (var i = 0; i < updateIds.Count; i++)
        {
            // A missing answer (it cannot happen with the script) counts as busy: the single-update path sorts it out.
            var state = i < states.Count ? states[i] : ClaimState.Busy;
            // An id listed twice keeps its first answer: the second "busy" is our own claim.
            if (!_states.TryAdd(updateIds[i], state))
            {
                continue;
            }

            if (state == ClaimState.Claimed)
            {
                _open.Add(updateIds[i]);
                owner.Hold(updateIds[i], this);
            }
        }

        if (_open.Count > 0)
        {
            _renewing = RenewAsync(_renewal.Token);
        }
    }

    public static BatchClaim Unguarded(UpdateDeduplicator owner, string token, IReadOnlyList<long> updateIds) =>
        new(owner, token, updateIds, [.. updateIds.Select(_ => ClaimState.Unguarded)]);

    public ClaimState StateOf(long updateId) => _states.GetValueOrDefault(updateId, ClaimState.Busy);

    /// <summary>
    /// Called before handling a claimed update: false when it was handed over to another batch, which then handles it
    /// (skip it as a duplicate here).
    /// </summary>
    public bool TryBegin(long updateId)
    {
        lock (_lock)
        {
            if (_handedOver.Contains(updateId))
            {
                return false;
            }

            _begun.Add(updateId);
            return true;
        }
    }

    /// <summary>
    /// Gives up the claim on an update this batch has not begun, and answers the token it is held under (the taker
    /// renews, completes or releases it from then on); null when it was begun, finished or handed over already.
    /// </summary>
    public string? TryHandOver(long updateId)
    {
        lock (_lock)
        {
            if (_begun.Contains(updateId) || !_open.Remove(updateId))
            {
                return null;
            }

            _handedOver.Add(updateId);
        }

        _owner.Unhold(updateId, this);
        return _token;
    }

    /// <summary>Marks a claimed update handled (after its handler succeeded).</summary>
    public async Task CompleteAsync(long updateId)
    {
        lock (_lock)
        {
            if (!_open.Remove(updateId))
            {
                return;
            }
        }

        _owner.Unhold(updateId, this);
        await _owner.CompleteAsync(updateId, _token).ConfigureAwait(false);
    }

    /// <summary>Marks several claimed updates handled in one Redis call.</summary>
    public async Task CompleteManyAsync(IReadOnlyCollection<long> updateIds)
    {
        ArgumentNullException.ThrowIfNull(updateIds);
        long[] completing;
        lock (_lock)
        {
            completing = [.. updateIds.Where(_open.Remove)];
        }

        foreach (var updateId in completing)
        {
            _owner.Unhold(updateId, this);
        }

        await _owner.CompleteBatchAsync(completing, _token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_renewal.IsCancellationRequested)
        {
            await _renewal.CancelAsync().ConfigureAwait(false);
        }

        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        long[] unfinished;
        lock (_lock)
        {
            unfinished = [.. _open];
            _open.Clear();
        }

        foreach (var updateId in unfinished)
        {
            _owner.Unhold(updateId, this);
            await _owner.ReleaseAsync(updateId, _token).ConfigureAwait(false);
        }

        _renewal.Dispose();
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_owner.RenewInterval, _owner.Time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            long[] open;
            lock (_lock)
            {
                open = [.. _open];
            }

            await _owner.RenewBatchAsync(open, _token).ConfigureAwait(false);
        }
    }
}
