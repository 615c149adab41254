using System.Text.Json.Nodes;

namespace Atlas.Workflow.Camunda;

// The v2 request and response shapes Atlas uses (Camunda 8 Orchestration Cluster REST API). Keys are strings.

public sealed record CreateProcessInstanceRequest(string ProcessDefinitionId, JsonObject? Variables = null, string? BusinessId = null);

public sealed record CreateProcessInstanceResult(string ProcessInstanceKey, string ProcessDefinitionKey, string ProcessDefinitionId, int ProcessDefinitionVersion, string? BusinessId);

public sealed record CancelProcessInstanceRequest(long? OperationReference = null);

public sealed record SearchPage(int? From = null, int? Limit = null, string? After = null);

public sealed record SearchRequest<TFilter>(TFilter? Filter, SearchPage? Page = null);

public sealed record SearchResult<TItem>(IReadOnlyList<TItem> Items, PageInfo? Page);

public sealed record PageInfo(long TotalItems, bool HasMoreTotalItems, string? StartCursor, string? EndCursor);

public sealed record ProcessInstanceFilter(string? ProcessInstanceKey = null, string? ProcessDefinitionId = null, string? State = null, string? BusinessId = null);

public sealed record ProcessInstanceResult(
    string ProcessInstanceKey, string ProcessDefinitionId, string? ProcessDefinitionName, string State, bool HasIncident, string? StartDate, string? EndDate, string? BusinessId);

public sealed record UserTaskFilter(
    string? State = null, string? Assignee = null, string? CandidateGroup = null, string? ProcessInstanceKey = null, string? UserTaskKey = null, string? ProcessDefinitionId = null);

public sealed record UserTaskResult(
    string UserTaskKey, string Name, string State, string? Assignee, IReadOnlyList<string>? CandidateGroups, string ProcessInstanceKey,
    string ProcessDefinitionId, string? ProcessName, string? ElementId, string? CreationDate, string? CompletionDate);

public sealed record UserTaskAssignmentRequest(string Assignee, bool? AllowOverride = null, string? Action = null);

public sealed record UserTaskCompletionRequest(JsonObject? Variables = null, string? Action = null);

public sealed record MessagePublicationRequest(string Name, string? CorrelationKey = null, long? TimeToLive = null, string? MessageId = null, JsonObject? Variables = null);

public sealed record MessagePublicationResult(string MessageKey, string? TenantId);

public sealed record MessageCorrelationRequest(string Name, string? CorrelationKey = null, JsonObject? Variables = null);

public sealed record MessageCorrelationResult(string MessageKey, string ProcessInstanceKey, string? TenantId);

public sealed record JobActivationRequest(string Type, string Worker, long Timeout, int MaxJobsToActivate, long? RequestTimeout = null, IReadOnlyList<string>? FetchVariable = null);

public sealed record JobActivationResult(IReadOnlyList<ActivatedJob> Jobs);

public sealed record ActivatedJob(
    string JobKey, string Type, string ProcessInstanceKey, string ProcessDefinitionId, string ElementId, int Retries, long Deadline, JsonObject? Variables, JsonObject? CustomHeaders);

public sealed record JobCompletionRequest(JsonObject? Variables = null);

public sealed record JobFailRequest(int Retries, string? ErrorMessage = null, long? RetryBackOff = null, JsonObject? Variables = null);

public sealed record JobErrorRequest(string ErrorCode, string? ErrorMessage = null, JsonObject? Variables = null);

public sealed record TopologyResponse(IReadOnlyList<BrokerInfo> Brokers, string? ClusterId, int ClusterSize, int PartitionsCount, string GatewayVersion);

public sealed record BrokerInfo(int NodeId, string Host, int Port, string Version);

public sealed record DeploymentResult(string DeploymentKey, string? TenantId, IReadOnlyList<DeploymentMetadata> Deployments);

public sealed record DeploymentMetadata(DeployedProcess? ProcessDefinition);

public sealed record DeployedProcess(string ProcessDefinitionId, int ProcessDefinitionVersion, string ResourceName, string ProcessDefinitionKey);

/// <summary>RFC 9457 problem details as the engine sends them.</summary>
public sealed record CamundaProblemDetail(string? Type, string? Title, int? Status, string? Detail, string? Instance);
