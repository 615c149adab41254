using Atlas.Contracts.Llm;
using Atlas.Contracts.Moderation;
using Atlas.Moderation.Audit;
using Atlas.Moderation.Diagnostics;
using Atlas.Moderation.Settings;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Moderation.Verdicts;

/// <summary>
/// Asks LlmRouter over the bus whether a suspicious message is spam, at most
/// <see cref="ModerationOptions.LlmVerdictTimeout"/> long, with the text's personal data masked. A verdict in
/// <see cref="VerdictCache"/> is used instead of asking (metric source <c>cache</c>); a fresh spam or ham verdict is
/// cached (source <c>llm</c>). No answer in time, a fault, or an <c>unknown</c> verdict gives null: the rules alone
/// decide, which is logged once per message (<see cref="ModerationLog.VerdictUnavailable"/>) and counted as source
/// <c>unavailable</c>.
/// </summary>
public sealed class SpamVerdicts(
    VerdictCache cache, IBus bus, IOptions<ModerationOptions> options, ModerationMetrics metrics,
    ILogger<SpamVerdicts> logger)
{
    // From the bus, not the container: a request client resolved there is scoped, and this class is a singleton.
    private readonly IRequestClient<SpamVerdictRequested> _llmRouter = bus.CreateRequestClient<SpamVerdictRequested>();

    /// <summary>Longest (masked) text sent to the model.</summary>
    public const int MaxTextChars = 2000;

    public const string SourceCache = "cache";
    public const string SourceLlm = "llm";
    public const string SourceUnavailable = "unavailable";

    /// <summary>The verdict on <paramref name="message"/>, or null when there is none to go by.</summary>
    public async Task<SpamVerdict?> AskAsync(MessagePosted message, IReadOnlyList<string> signals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signals);
        var text = message.Text ?? "";
        if (await cache.GetAsync(text, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            metrics.Verdict(SourceCache);
            return new SpamVerdict(cached.Verdict, cached.Provider, SourceCache);
        }

        SpamVerdictReplied reply;
        try
        {
            var response = await _llmRouter.GetResponse<SpamVerdictReplied>(
                new SpamVerdictRequested(message.ChatId, message.MessageId, PiiMasker.Mask(text, MaxTextChars) ?? "", signals, options.Value.LlmVerdictTimeout),
                cancellationToken, RequestTimeout.After(ms: (int)options.Value.LlmVerdictTimeout.TotalMilliseconds)).ConfigureAwait(false);
            reply = response.Message;
        }
        catch (Exception exception) when (exception is RequestTimeoutException or RequestFaultException)
        {
            return Unavailable(message.ChatId, exception is RequestTimeoutException ? "LlmRouter did not answer in time" : "LlmRouter failed");
        }

        if (reply.Verdict is not (SpamVerdictReplied.Spam or SpamVerdictReplied.Ham))
        {
            return Unavailable(message.ChatId, $"verdict {reply.Verdict}: {reply.Reason}");
        }

        metrics.Verdict(SourceLlm);
        await cache.SetAsync(text, new CachedVerdict(reply.Verdict, reply.Provider), cancellationToken).ConfigureAwait(false);
        return new SpamVerdict(reply.Verdict, reply.Provider, SourceLlm);
    }

    private SpamVerdict? Unavailable(long chatId, string reason)
    {
        ModerationLog.VerdictUnavailable(logger, chatId, reason);
        metrics.Verdict(SourceUnavailable);
        return null;
    }
}

/// <summary>A clear verdict (spam or ham), the provider that gave it and whether it came from the cache or the model.</summary>
public sealed record SpamVerdict(string Verdict, string Provider, string Source)
{
    public bool IsSpam => Verdict == SpamVerdictReplied.Spam;
}
