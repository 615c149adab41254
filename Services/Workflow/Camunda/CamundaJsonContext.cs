using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.Workflow.Camunda;

/// <summary>Source-generated JSON metadata for the Refit client: camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateProcessInstanceRequest))]
[JsonSerializable(typeof(CreateProcessInstanceResult))]
[JsonSerializable(typeof(CancelProcessInstanceRequest))]
[JsonSerializable(typeof(SearchRequest<ProcessInstanceFilter>))]
[JsonSerializable(typeof(SearchResult<ProcessInstanceResult>))]
[JsonSerializable(typeof(SearchRequest<UserTaskFilter>))]
[JsonSerializable(typeof(SearchResult<UserTaskResult>))]
[JsonSerializable(typeof(UserTaskResult))]
[JsonSerializable(typeof(UserTaskAssignmentRequest))]
[JsonSerializable(typeof(UserTaskCompletionRequest))]
[JsonSerializable(typeof(MessagePublicationRequest))]
[JsonSerializable(typeof(MessagePublicationResult))]
[JsonSerializable(typeof(MessageCorrelationRequest))]
[JsonSerializable(typeof(MessageCorrelationResult))]
[JsonSerializable(typeof(JobActivationRequest))]
[JsonSerializable(typeof(JobActivationResult))]
[JsonSerializable(typeof(JobCompletionRequest))]
[JsonSerializable(typeof(JobFailRequest))]
[JsonSerializable(typeof(JobErrorRequest))]
[JsonSerializable(typeof(TopologyResponse))]
[JsonSerializable(typeof(DeploymentResult))]
[JsonSerializable(typeof(CamundaProblemDetail))]
internal sealed partial class CamundaJsonContext : JsonSerializerContext;
