namespace Atlas.Testing;

/// <summary>Bounded polling of a condition: the way tests wait, instead of sleeping.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Polls <paramref name="probe"/> until it returns a value that satisfies <paramref name="done"/>; returns that value.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var last = await probe().ConfigureAwait(false);
        while (!done(last))
        {
            if (cancellation.IsCancellationRequested)
            {
                throw new TimeoutException($"The condition did not hold within {(timeout ?? DefaultTimeout).TotalSeconds:0} s; last value: {last}");
            }

            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
            last = await probe().ConfigureAwait(false);
        }

        return last;
    }
}

/// <summary>Bounded waits on processes.</summary>
public static class ProcessWaits
{
    /// <summary>True when the process exited within <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForExitAsync(this System.Diagnostics.Process process, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
