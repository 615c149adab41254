using Atlas.LlmRouter.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace Atlas.LlmRouter.Knowledge.Elasticsearch;

/// <summary>
/// An Elasticsearch failure behind an HTTP request is a 503 problem ("the knowledge base is unavailable"), logged
/// with the operation and error type, instead of a generic 500.
/// </summary>
internal sealed class KnowledgeStoreExceptionHandler(IProblemDetailsService problems, ILogger<KnowledgeStoreExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not ElasticsearchStoreException)
        {
            return false;
        }

        LlmRouterLog.KnowledgeStoreFailed(logger, exception);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Knowledge base unavailable",
                Detail = "The knowledge base's search engine did not answer. Try again shortly.",
            },
        }).ConfigureAwait(false);
    }
}
