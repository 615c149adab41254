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
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or HttpRequestException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LlmRouterLog.GroundingFailed(logger, exception);
            return [];
        }
    }
}
