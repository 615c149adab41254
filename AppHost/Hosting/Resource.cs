namespace Atlas.AppHost.Hosting;

/// <summary>What a resource is doing now.</summary>
public enum ResourceState
{
    NotStarted,
    Waiting,
    Starting,
    Running,
    Failed,
    Stopping,
    Stopped,
}

/// <summary>
/// One thing the AppHost runs or connects to, modelled as in Aspire: a lowercase name, a kind, what it waits for
/// before it starts, and how to start it (returning once it is healthy) and stop it.
/// </summary>
public abstract class Resource(string name)
{
    private readonly List<Resource> _waitsFor = [];

    public string Name { get; } = name;

    public abstract string Kind { get; }

    public ResourceState State { get; internal set; } = ResourceState.NotStarted;

    /// <summary>Why the resource failed, when it did.</summary>
    public string? FailureReason { get; internal set; }

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public IReadOnlyList<Resource> WaitsFor => _waitsFor;

    /// <summary>The address a person would open or connect to; never carries a password.</summary>
    public virtual string? DisplayUrl => null;

    /// <summary>Where the resource's output goes; set when the application is built.</summary>
    public Processes.ResourceLog? Log { get; internal set; }

    /// <summary>The resource's own process, when it runs one.</summary>
    private protected Processes.ManagedProcess? Process { get; set; }

    /// <summary>Kills the resource's process tree at once (no graceful stop).</summary>
    internal void Kill() => Process?.KillTree();

    /// <summary>Sends <paramref name="signal"/> (to <paramref name="target"/> when given), waits up to <paramref name="grace"/>, then kills.</summary>
    private protected async Task StopProcessAsync(int signal, TimeSpan grace, int? target = null)
    {
        if (Process is { } process)
        {
            await process.StopAsync(signal, grace, target).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            Process = null;
        }
    }

    internal void AddWait(Resource resource)
    {
        if (!_waitsFor.Contains(resource))
        {
            _waitsFor.Add(resource);
        }
    }

    /// <summary>Starts the resource and returns once it is healthy.</summary>
    internal abstract Task StartAsync(ResourceContext context, CancellationToken cancellationToken);

    internal abstract Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>A resource other resources connect to through <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>Available once the resource runs.</summary>
    string ConnectionString { get; }
}

/// <summary>What a resource needs from the application while it starts.</summary>
internal sealed record ResourceContext(AppHostOptions Options, DataFolder Data, string Owner, Processes.ResourceLog Log);
