using Atlas.Testing;

namespace Atlas.Workflow.Tests;

/// <summary>The workflow service boots on real servers, serves the default endpoints and answers Ping on the bus.</summary>
public sealed class WorkflowServiceContract() : ServiceContractTests<Program>(
    "workflow", "workflowdb", ["postgres", "redis", "rabbitmq"], ["tracked_instances", "parked_operations"]);
