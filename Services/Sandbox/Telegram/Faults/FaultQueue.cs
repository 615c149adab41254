namespace Atlas.Sandbox.Telegram.Faults;

/// <summary>One bot's armed faults, used up in the order they were added. Not thread-safe: the owning bot's lock guards it.</summary>
internal sealed class FaultQueue
{
    private readonly List<ArmedFault> _armed = [];

    public void Add(FaultSpec fault) => _armed.Add(new ArmedFault(fault, fault.Count));

    public void Clear() => _armed.Clear();

    /// <summary>The faults still armed, each with the number of calls it will still fail, in the order they apply.</summary>
    public IReadOnlyList<FaultSpec> Pending() => [.. _armed.Select(f => f.Fault with { Count = f.Remaining })];

    /// <summary>Uses up one call of the first fault armed for <paramref name="method"/>, or returns null.</summary>
    public FaultSpec? Take(string method)
    {
        var armed = _armed.FirstOrDefault(f =>
            f.Fault.Method == "*" || string.Equals(f.Fault.Method, method, StringComparison.OrdinalIgnoreCase));
        if (armed is null)
        {
            return null;
        }

        armed.Remaining--;
        if (armed.Remaining <= 0)
        {
            _armed.Remove(armed);
        }

        return armed.Fault;
    }

    private sealed class ArmedFault(FaultSpec fault, int remaining)
    {
        public FaultSpec Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}
