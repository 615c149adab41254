using Refit;

namespace Atlas.Workflow.Camunda;

/// <summary>
/// The part of the Camunda 8 Orchestration Cluster REST API v2 Atlas uses. The base address is the cluster's address
/// without <c>/v2</c>. Errors arrive as <see cref="CamundaProblemException"/> or <see cref="EngineUnavailableException"/>
/// (see <see cref="CamundaErrorHandler"/>), never as Refit's own exceptions.
/// </summary>
public interface ICamundaApi
{
    [Get("/v2/topology")]
    Task<TopologyResponse> GetTopologyAsync(CancellationToken cancellationToken);

    [Multipart]
    [Post("/v2/deployments")]
    Task<DeploymentResult> DeployAsync([AliasAs("resources")] IEnumerable<ByteArrayPart> resources, CancellationToken cancellationToken);

    [Post("/v2/process-instances")]
    Task<CreateProcessInstanceResult> CreateProcessInstanceAsync([Body] CreateProcessInstanceRequest request, CancellationToken cancellationToken);

    [Post("/v2/process-instances/search")]
    Task<SearchResult<ProcessInstanceResult>> SearchProcessInstancesAsync([Body] SearchRequest<ProcessInstanceFilter> query, CancellationToken cancellationToken);

    [Post("/v2/process-instances/{processInstanceKey}/cancellation")]
    Task CancelProcessInstanceAsync(string processInstanceKey, [Body] CancelProcessInstanceRequest request, CancellationToken cancellationToken);

    [Post("/v2/user-tasks/search")]
    Task<SearchResult<UserTaskResult>> SearchUserTasksAsync([Body] SearchRequest<UserTaskFilter> query, CancellationToken cancellationToken);

    [Get("/v2/user-tasks/{userTaskKey}")]
    Task<UserTaskResult> GetUserTaskAsync(string userTaskKey, CancellationToken cancellationToken);

    [Post("/v2/user-tasks/{userTaskKey}/assignment")]
    Task AssignUserTaskAsync(string userTaskKey, [Body] UserTaskAssignmentRequest request, CancellationToken cancellationToken);

    [Delete("/v2/user-tasks/{userTaskKey}/assignee")]
    Task UnassignUserTaskAsync(string userTaskKey, CancellationToken cancellationToken);

    [Post("/v2/user-tasks/{userTaskKey}/completion")]
    Task CompleteUserTaskAsync(string userTaskKey, [Body] UserTaskCompletionRequest request, CancellationToken cancellationToken);

    [Post("/v2/messages/publication")]
    Task<MessagePublicationResult> PublishMessageAsync([Body] MessagePublicationRequest request, CancellationToken cancellationToken);

    [Post("/v2/messages/correlation")]
    Task<MessageCorrelationResult> CorrelateMessageAsync([Body] MessageCorrelationRequest request, CancellationToken cancellationToken);

    [Post("/v2/jobs/activation")]
    Task<JobActivationResult> ActivateJobsAsync([Body] JobActivationRequest request, CancellationToken cancellationToken);

    [Post("/v2/jobs/{jobKey}/completion")]
    Task CompleteJobAsync(string jobKey, [Body] JobCompletionRequest request, CancellationToken cancellationToken);

    [Post("/v2/jobs/{jobKey}/failure")]
    Task FailJobAsync(string jobKey, [Body] JobFailRequest request, CancellationToken cancellationToken);

    [Post("/v2/jobs/{jobKey}/error")]
    Task ThrowJobErrorAsync(string jobKey, [Body] JobErrorRequest request, CancellationToken cancellationToken);
}
