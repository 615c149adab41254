namespace Atlas.Sandbox.Camunda;

/// <summary>Faults a test or a person turns on: the engine down (503), the token endpoint down, tokens rejected, slowness.</summary>
public sealed class CamundaSwitches
{
    private volatile SwitchState _state = new(false, false, false, TimeSpan.Zero);

    public SwitchState Current => _state;

    public void Set(SwitchState state) => _state = state;
}

/// <summary>The fault switches at one moment.</summary>
public sealed record SwitchState(bool EngineDown, bool TokenEndpointDown, bool RejectTokens, TimeSpan Delay);
