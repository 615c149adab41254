using Atlas.AppHost.Processes;

namespace Atlas.AppHost.Hosting;

/// <summary>
/// A running set of resources. Starts each resource once everything it waits for is healthy (independent ones at
/// the same time), stops them in the reverse order, and leaves no process behind. Usable from tests with
/// <c>await using</c>, the way Aspire's testing builder is.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly List<Resource> _started = [];
    private readonly Lock _gate = new();
    private readonly string _owner;
    private IDisposable? _folderLock;
    private int _stopped;

    internal DistributedApplication(AppHostOptions options, IReadOnlyList<Resource> resources)
    {
        Options = options;
        Resources = resources;
        Data = new DataFolder(options.DataRoot);
        _owner = ProcessTable.OwnerMark(Data.Root);
        foreach (var resource in resources)
        {
            resource.Log = new ResourceLog(resource.Name, options.EchoResourceLogs);
        }
    }

    public AppHostOptions Options { get; }

    public IReadOnlyList<Resource> Resources { get; }

    public DataFolder Data { get; }

    public T GetResource<T>(string name) where T : Resource =>
        Resources.OfType<T>().FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"No {typeof(T).Name} named '{name}'.");

    public string GetConnectionString(string name) =>
        Resources.OfType<IResourceWithConnectionString>().FirstOrDefault(r => r.Name == name)?.ConnectionString
        ?? throw new KeyNotFoundException($"No resource named '{name}' has a connection string.");

    public Uri GetEndpoint(string name) =>
        GetResource<ProjectResource>(name).Endpoint ?? throw new InvalidOperationException($"{name} has not started.");

    /// <summary>Starts everything; returns when all resources are healthy. On failure, stops what started and throws.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _folderLock = Data.Lock();
        SweepLeftovers(Data.Root + "|");
        foreach (var orphan in ProcessTable.FindOrphans())
        {
            Posix.Signal(orphan, Posix.SigKill);
        }

        var started = new Dictionary<Resource, Task>();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        Task StartOne(Resource resource)
        {
            lock (_gate)
            {
                if (!started.TryGetValue(resource, out var task))
                {
                    task = StartAfterDependenciesAsync(resource, StartOne, failed);
                    started[resource] = task;
                }

                return task;
            }
        }

        try
        {
            await Task.WhenAll(Resources.Select(StartOne)).ConfigureAwait(false);
        }
        catch
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            var failure = Resources.FirstOrDefault(r => r.State == ResourceState.Failed);
            if (failure?.FailureReason is { } reason && !cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"'{failure.Name}' failed to start: {reason}");
            }

            throw;
        }
    }

    /// <summary>Stops resources in the reverse order of their start; safe to call more than once.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        List<Resource> toStop;
        lock (_gate)
        {
            toStop = [.. _started];
        }

        // Resources that started together (one wave) stop together; waves stop last-first.
        foreach (var wave in toStop.GroupBy(ResourceTable.Depth).OrderByDescending(g => g.Key))
        {
            await Task.WhenAll(wave.Select(async resource =>
            {
                resource.State = ResourceState.Stopping;
                try
                {
                    await resource.StopAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    resource.State = ResourceState.Stopped;
                }
            })).ConfigureAwait(false);
        }

        SweepLeftovers(_owner);
        _folderLock?.Dispose();
    }

    /// <summary>
    /// Kills every process of this application at once, without a graceful stop: for throwaway servers when the
    /// process is exiting and has no time to wait (a test host's ProcessExit).
    /// </summary>
    public void Kill()
    {
        Interlocked.Exchange(ref _stopped, 1);

        // One pass over /proc first: the exiting process may be torn down before a slower tree walk finishes.
        SweepLeftovers(_owner);
        foreach (var resource in Resources)
        {
            resource.Kill();
            resource.State = ResourceState.Stopped;
        }

        _folderLock?.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private async Task StartAfterDependenciesAsync(Resource resource, Func<Resource, Task> startOne, CancellationTokenSource failed)
    {
        resource.State = ResourceState.Waiting;
        await Task.WhenAll(resource.WaitsFor.Select(startOne)).ConfigureAwait(false);
        failed.Token.ThrowIfCancellationRequested();
        resource.State = ResourceState.Starting;
        lock (_gate)
        {
            _started.Add(resource);
        }

        try
        {
            var context = new ResourceContext(Options, Data, _owner, resource.Log!);
            await resource.StartAsync(context, failed.Token).ConfigureAwait(false);
            resource.State = ResourceState.Running;
        }
        catch (Exception exception)
        {
            resource.State = ResourceState.Failed;
            resource.FailureReason = exception.Message;
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills processes still carrying this owner mark: leftovers of a crashed run, or stragglers of this one.</summary>
    private static void SweepLeftovers(string ownerPrefix)
    {
        foreach (var pid in ProcessTable.FindOwnedBy(ownerPrefix))
        {
            Posix.Signal(pid, Posix.SigKill);
        }
    }
}
