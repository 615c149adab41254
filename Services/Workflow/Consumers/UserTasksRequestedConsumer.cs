using Atlas.Contracts.Workflow;
using Atlas.Workflow.Operators;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// The gateway's <c>/tasks</c>: the open user tasks of the operator behind the Telegram user (from
/// <c>Workflow:Operators</c>); a user who is no operator gets an empty list. Read-only, so redelivery is harmless.
/// </summary>
internal sealed class UserTasksRequestedConsumer(IOptions<OperatorOptions> operators, UserTaskQueries queries) : IConsumer<UserTasksRequested>
{
    public async Task Consume(ConsumeContext<UserTasksRequested> context)
    {
        var @operator = operators.Value.ByTelegramUser(context.Message.UserId);
        var tasks = @operator is null ? [] : await queries.OpenForAsync(@operator, context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new UserTaskList([.. tasks.Select(UserTaskQueries.Summary)])).ConfigureAwait(false);
    }
}
