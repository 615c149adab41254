namespace Atlas.Gateway.RateLimiting;

/// <summary>
/// A token bucket on an injected clock: <see cref="Rate"/> tokens a second, at most <see cref="Capacity"/>. Not thread
/// safe; its owner locks.
/// </summary>
public sealed class TokenBucket
{
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(double rate, double capacity, long now)
    {
        Rate = rate;
        Capacity = capacity;
        _tokens = capacity;
        _lastRefill = now;
    }

    public double Rate { get; private set; }

    public double Capacity { get; private set; }

    /// <summary>When the bucket was last used (timestamp of the clock).</summary>
    public long LastUsed => _lastRefill;

    /// <summary>Whether a token is there at <paramref name="now"/> (after refilling), without taking it.</summary>
    public bool HasToken(long now, TimeProvider time)
    {
        Refill(now, time);
        return _tokens >= 1;
    }

    /// <summary>Takes one token; call after <see cref="HasToken"/> said yes.</summary>
    public void Take() => _tokens -= 1;

    /// <summary>A new tier: new rate and capacity, keeping what is left (but not more than the new capacity).</summary>
    public void Reconfigure(double rate, double capacity)
    {
        Rate = rate;
        Capacity = capacity;
        _tokens = Math.Min(_tokens, capacity);
    }

    /// <summary>True when the bucket is full again at <paramref name="now"/> (it can be forgotten).</summary>
    public bool IsFull(long now, TimeProvider time)
    {
        Refill(now, time);
        return _tokens >= Capacity;
    }

    private void Refill(long now, TimeProvider time)
    {
        var elapsed = time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(Capacity, _tokens + (elapsed * Rate));
            _lastRefill = now;
        }
    }
}
