using Atlas.Contracts.Workflow;
using Atlas.Workflow.Camunda;

namespace Atlas.Workflow.Operators;

/// <summary>The open user tasks an operator may work on: assigned to them, or offered to one of their candidate groups.</summary>
internal sealed class UserTaskQueries(ICamundaApi camunda)
{
    public async Task<IReadOnlyList<UserTaskResult>> OpenForAsync(WorkflowOperator @operator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@operator);
        var found = new Dictionary<string, UserTaskResult>(StringComparer.Ordinal);
        var filters = @operator.CandidateGroups.Select(g => new UserTaskFilter(State: "CREATED", CandidateGroup: g))
            .Append(new UserTaskFilter(State: "CREATED", Assignee: @operator.UserName));
        foreach (var filter in filters)
        {
            var page = await camunda.SearchUserTasksAsync(new SearchRequest<UserTaskFilter>(filter, new SearchPage(Limit: 50)), cancellationToken).ConfigureAwait(false);
            foreach (var task in page.Items)
            {
                found.TryAdd(task.UserTaskKey, task);
            }
        }

        return [.. found.Values.OrderBy(t => t.CreationDate, StringComparer.Ordinal)];
    }

    public static UserTaskSummary Summary(UserTaskResult task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var created = DateTimeOffset.TryParse(task.CreationDate, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : DateTimeOffset.MinValue;
        return new UserTaskSummary(task.UserTaskKey, task.Name, task.ProcessName ?? task.ProcessDefinitionId, task.Assignee, created);
    }
}
