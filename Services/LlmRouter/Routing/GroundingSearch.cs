using Atlas.LlmRouter.Diagnostics;
using Atlas.LlmRouter.Knowledge;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atlas.LlmRouter.Routing;

/// <summary>The knowledge passages for a question, bounded in time: a slow or failing search means no passages, not a failed answer.</summary>
public sealed class GroundingSearch(IKnowledgeStore store, IOptionsMonitor<GroundingOptions> options, TimeProvider time, ILogger<GroundingSearch> logger)
{
    public async Task<IReadOnlyList<KnowledgeHit>> FindAsync(string question, string? languageCode, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.Passages == 0 || string.IsNullOrWhiteSpace(question))
        {
            return [];
        }

        using var timeout = new CancellationTokenSource(settings.SearchTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await store.SearchAsync(new KnowledgeQuery(question, languageCode, settings.Passages), linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsTimeout(exception))
        {
            LlmRouterLog.GroundingTimedOut(logger, settings.SearchTimeout.TotalMilliseconds);
            return [];
        }
        catch (Exception exception) when (exception is NpgsqlException or HttpRequestException)
        {
            LlmRouterLog.GroundingFailed(logger, exception);
            return [];
        }
    }

    // Npgsql reports a cancelled or timed-out wait for a connection as an NpgsqlException around the cancellation.
    private static bool IsTimeout(Exception exception) => exception switch
    {
        OperationCanceledException or TimeoutException => true,
        NpgsqlException { InnerException: { } inner } => IsTimeout(inner),
        _ => false,
    };
}
