using System.Globalization;
using System.Security.Cryptography;
using Atlas.AppHost.Sandbox;

namespace Atlas.AppHost.Chaos;

/// <summary>
/// Users writing to the bot through the Sandbox while a drill runs: each message comes from a new private chat (so each
/// chat's answers belong to exactly one message), cycling through <c>/help</c> (the gateway alone), a question (gateway →
/// LlmRouter → a model) and <c>/tasks</c> (gateway → Workflow → Camunda). The bot's answers are read back from the
/// Sandbox's action log.
/// </summary>
internal sealed class ChaosTraffic(SandboxClient sandbox, TimeProvider time)
{
    /// <summary>The polite texts of a degraded answer (English, the drill users' language): the gateway's and LlmRouter's.</summary>
    public static readonly string[] DegradedPhrases =
    [
        WaitNotice, // gateway: ServiceUnavailable (a request timed out or a dependency is down)
        "Sorry, something went wrong", // gateway: Error (a handler failed)
        "conversation memory is unavailable", // gateway: MemoryUnavailable (Redis down)
        "Sorry, I can't answer right now", // LlmRouter: the apology when no provider answers
        "From the knowledge base:", // LlmRouter: the rule-based answer from a passage when no provider answers
    ];

    /// <summary>The gateway's polite note when an answer takes too long or a dependency is down (a late LLM answer may follow it).</summary>
    public const string WaitNotice = "temporarily unavailable";

    /// <summary>The prefix of a late LLM answer, sent after the "temporarily unavailable" one: not a second handling.</summary>
    public const string LateAnswerPrefix = "Late answer to your earlier question";

    private readonly List<Message> _sent = [];
    private readonly Dictionary<long, List<SandboxClient.Answer>> _answers = [];
    private readonly Lock _gate = new();
    private readonly long _firstUser = 6_000_000_000 + RandomNumberGenerator.GetInt32(0, 100_000) * 10_000L;
    private long _afterSeq;
    private int _next;

    /// <summary>One message a drill user sent.</summary>
    public sealed record Message(long UserId, string Text, DateTimeOffset SentAt);

    public async Task StartAsync(CancellationToken cancellationToken) => _afterSeq = await sandbox.LastSeqAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The next user writes the next message of the cycle.</summary>
    public async Task SendNextAsync(CancellationToken cancellationToken)
    {
        Message message;
        int index;
        lock (_gate)
        {
            index = _next++;
            var user = _firstUser + index;
            var text = (index % 3) switch
            {
                0 => "/help",
                // Unique across drills: LlmRouter's response cache must not answer it from an earlier drill.
                1 => string.Create(CultureInfo.InvariantCulture, $"What does the sandbox do? (chaos drill user {user})"),
                _ => "/tasks",
            };
            message = new Message(user, text, time.GetUtcNow());
        }

        // Counted once the Sandbox took it: a message the Sandbox refused never reached Atlas and cannot be lost by it.
        await sandbox.SendUserMessageAsync(message.UserId, "Drill", message.Text, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _sent.Add(message);
        }
    }

    /// <summary>Reads the bot's answers given since the last look.</summary>
    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        var answers = await sandbox.AnswersAfterAsync(_afterSeq, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var answer in answers)
            {
                _afterSeq = Math.Max(_afterSeq, answer.Seq);
                if (answer.ChatId >= _firstUser && answer.ChatId < _firstUser + _next)
                {
                    (_answers.TryGetValue(answer.ChatId, out var list) ? list : _answers[answer.ChatId] = []).Add(answer);
                }
            }
        }
    }

    /// <summary>What happened to each message so far.</summary>
    public IReadOnlyList<Outcome> Outcomes()
    {
        lock (_gate)
        {
            return [.. _sent.OrderBy(m => m.SentAt).Select(m =>
            {
                var answers = _answers.TryGetValue(m.UserId, out var list) ? list : [];
                var primary = answers.Where(a => !a.Text.StartsWith(LateAnswerPrefix, StringComparison.Ordinal)).ToList();
                return new Outcome(m, primary.Count, primary.Count > 0 ? primary.Min(a => a.At) : null, answers.Any(a => IsDegraded(a.Text)))
                {
                    FirstAnswer = primary.OrderBy(a => a.At).FirstOrDefault()?.Text,
                };
            })];
        }
    }

    public static bool IsDegraded(string text) => DegradedPhrases.Any(p => text.Contains(p, StringComparison.Ordinal));

    /// <summary>A message's fate: how many answers (late ones not counted), when the first came, whether any was a polite degraded one.</summary>
    public sealed record Outcome(Message Message, int Answers, DateTimeOffset? FirstAnswerAt, bool Degraded)
    {
        /// <summary>The text of the first answer, for the drill's detail lines.</summary>
        public string? FirstAnswer { get; init; }

        public bool Answered => Answers > 0;

        public bool Normal => Answered && !Degraded;
    }
}
