namespace Atlas.Workflow.Engine;

/// <summary>
/// Whether the last engine call got through. The first success after a failure wakes the parked-work loop, so work
/// parked during an outage is applied as soon as the engine is back instead of at its next back-off slot.
/// </summary>
internal sealed class EngineAvailability
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _down;

    public bool IsDown { get { lock (_gate) { return _down; } } }

    /// <summary>Completes at the next recovery.</summary>
    public Task Recovered { get { lock (_gate) { return _recovered.Task; } } }

    public void ReportFailure()
    {
        lock (_gate)
        {
            _down = true;
        }
    }

    public void ReportSuccess()
    {
        lock (_gate)
        {
            if (!_down)
            {
                return;
            }

            _down = false;
            _recovered.TrySetResult();
            _recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
