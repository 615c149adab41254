using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Telegram.Client;
using Npgsql;
using StackExchange.Redis;

namespace Atlas.Gateway.Handling;

/// <summary>
/// Runs one named handler for an update and counts the outcome (<c>luka_handlers_success_total{handler}</c> /
/// <c>luka_handlers_failure_total{handler}</c>). A failure is logged with its reason and a waiting user gets a
/// polite answer; the exception goes back to the caller only when a retry could help.
/// </summary>
public sealed class HandlerRunner(Replies replies, GatewayMetrics metrics, ILogger<HandlerRunner> logger)
{
    public async Task RunAsync(string handler, UpdateContext context, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action(cancellationToken).ConfigureAwait(false);
            metrics.HandlerSucceeded(handler);
            GatewayLog.UpdateHandled(logger, context.UpdateId, context.Update.Type, handler);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            metrics.HandlerFailed(handler);
            var transient = IsTransient(exception);
            GatewayLog.HandlerFailed(logger, exception, handler, context.UpdateId, Describe(exception, transient));
            if (context.UserIsWaiting)
            {
                await TryApologiseAsync(context, cancellationToken).ConfigureAwait(false);
            }

            if (transient)
            {
                throw;
            }
        }
    }

    /// <summary>Failures that another attempt may not meet: a broken connection, a timeout, a server-side error.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient,
        RedisConnectionException or RedisTimeoutException => true,
        _ when exception.IsTransientTelegramFailure() => true,
        // The bus could not take a publish (stopping, reconnecting): the effect (e.g. MessagePosted) must be retried,
        // never marked done.
        _ when BrokerFailures.IsBrokerUnavailable(exception) => true,
        _ => false,
    };

    private static string Describe(Exception exception, bool transient) =>
        $"{exception.GetType().Name}{(transient ? " (transient: the caller may retry)" : "")}";

    private async Task TryApologiseAsync(UpdateContext context, CancellationToken cancellationToken)
    {
        try
        {
            await replies.SendAsync(context, context.Text(TextKeys.Error), cancellationToken, purpose: "error").ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            GatewayLog.HandlerFailed(logger, exception, "apology", context.UpdateId, exception.GetType().Name);
        }
    }
}
