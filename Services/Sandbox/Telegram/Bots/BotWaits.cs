namespace Atlas.Sandbox.Telegram.Bots;

/// <summary>Waiting for a bot's state to change, bounded by the injected clock.</summary>
internal static class BotWaits
{
    /// <summary>
    /// Returns when any of <paramref name="signals"/> completes, when <paramref name="maxWait"/> (null: no bound) has
    /// passed on <paramref name="time"/>, or throws when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task WaitAsync(TimeSpan? maxWait, TimeProvider time, CancellationToken cancellationToken, params Task[] signals)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = maxWait is { } wait
            ? Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stop.Token)
            : Task.Delay(Timeout.InfiniteTimeSpan, time, stop.Token);
        await Task.WhenAny([.. signals, delay]).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
