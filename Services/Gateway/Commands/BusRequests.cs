using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using MassTransit;

namespace Atlas.Gateway.Commands;

/// <summary>
/// Request/response over the bus to another service. No answer in time (nobody listening, the peer down or slow) and
/// a faulted peer both come back as null, so the caller answers the user politely instead of failing.
/// </summary>
public sealed class BusRequests(IClientFactory clients, ILogger<BusRequests> logger)
{
    public async Task<TResponse?> AskAsync<TRequest, TResponse>(
        UpdateContext context, TRequest request, TimeSpan timeout, CancellationToken cancellationToken)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var client = clients.CreateRequestClient<TRequest>(RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
        try
        {
            var response = await client.GetResponse<TResponse>(request, cancellationToken).ConfigureAwait(false);
            return response.Message;
        }
        catch (RequestTimeoutException)
        {
            GatewayLog.BusRequestUnanswered(logger, typeof(TRequest).Name, context.UpdateId, $"no answer within {timeout.TotalSeconds:0.#} s");
            return null;
        }
        catch (RequestFaultException exception)
        {
            GatewayLog.BusRequestUnanswered(logger, typeof(TRequest).Name, context.UpdateId, $"the peer faulted ({exception.GetType().Name})");
            return null;
        }
    }
}
