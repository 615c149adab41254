using Atlas.LlmRouter.Diagnostics;
using Microsoft.Extensions.Options;

namespace Atlas.LlmRouter.Providers;

/// <summary>
/// The cooldown circuit per provider. A provider that fails <see cref="CircuitOptions.AllowedFails"/> times within
/// <see cref="CircuitOptions.Window"/> (or answers 429) is skipped for <see cref="CircuitOptions.Cooldown"/> (or the
/// Retry-After, if longer). Afterwards one request probes it: success closes the circuit, failure cools it again.
/// </summary>
public sealed class ProviderHealth(IOptionsMonitor<CircuitOptions> options, TimeProvider time, ILogger<ProviderHealth> logger)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>False while the provider cools down.</summary>
    public bool IsAvailable(string provider)
    {
        lock (_sync)
        {
            return !_states.TryGetValue(provider, out var state) || state.CoolUntil is not { } until || time.GetUtcNow() >= until;
        }
    }

    public void RecordSuccess(string provider)
    {
        lock (_sync)
        {
            if (_states.Remove(provider, out var state) && state.CoolUntil is not null)
            {
                LlmRouterLog.ProviderRecovered(logger, provider);
            }
        }
    }

    public void RecordFailure(string provider, ProviderFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (!failure.Cools)
        {
            return;
        }

        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        lock (_sync)
        {
            if (!_states.TryGetValue(provider, out var state))
            {
                state = new State();
                _states[provider] = state;
            }

            var probing = state.CoolUntil is { } until && now >= until;
            state.Failures.RemoveAll(at => now - at > settings.Window);
            state.Failures.Add(now);
            if (failure.Status == 429 || probing || state.Failures.Count >= settings.AllowedFails)
            {
                var cooldown = failure.RetryAfter is { } wait && wait > settings.Cooldown ? wait : settings.Cooldown;
                state.CoolUntil = now + cooldown;
                state.Failures.Clear();
                LlmRouterLog.ProviderCooling(logger, provider, failure.Reason, cooldown.TotalSeconds);
            }
        }
    }

    private sealed class State
    {
        public List<DateTimeOffset> Failures { get; } = [];

        public DateTimeOffset? CoolUntil { get; set; }
    }
}
