using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Support;

/// <summary>One Sandbox and the real servers for a class of outbound tests; each test takes its own bot and Redis prefix.</summary>
public sealed class OutboundSandbox : IAsyncLifetime
{
    private SandboxHost? _sandbox;

    public SandboxHost Sandbox => _sandbox ?? throw new InvalidOperationException("Not initialised.");

    public RealServers Servers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Servers = await RealServers.Shared;
        _sandbox = await SandboxHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }
}
