using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Atlas.Workflow.Tests.Support;

namespace Atlas.Workflow.Tests;

/// <summary>The workflow service boots on real servers, serves the default endpoints and answers Ping on the bus.</summary>
public sealed class WorkflowServiceContract(CamundaSandboxFixture sandbox) : ServiceContractTests<Program>(
    "workflow", "workflowdb", ["postgres", "redis", "rabbitmq", "camunda", "camunda-token"], ["tracked_instances", "parked_operations", "applied_operations", "consents"]),
    IClassFixture<CamundaSandboxFixture>
{
    protected override Task<IReadOnlyDictionary<string, string?>> GetOverridesAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(WorkflowWorld.SettingsFor(sandbox.Host.BaseUrl));
}

/// <summary>One Sandbox shared by a test class.</summary>
public sealed class CamundaSandboxFixture : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await SandboxHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
