namespace Atlas.Workflow.Apis;

/// <summary>
/// The workflow service's HTTP endpoints (<c>/workflow/*</c>) are for operators and the dashboard: every call carries
/// the ops key (header <c>X-Admin-Key</c>) configured at <see cref="KeyPath"/>.
/// </summary>
internal static class WorkflowOps
{
    public const string KeyPath = "Workflow:OpsApiKey";
}
