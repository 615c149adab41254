namespace Atlas.AppHost.Ops;

/// <summary>How the smoke test talks to the bot as a user: through the Sandbox's Telegram, or the gateway's webhook with the ops chat.</summary>
internal interface ISmokeChat : IDisposable
{
    /// <summary>Where the conversation takes place, for the report.</summary>
    string Description { get; }

    /// <summary>
    /// The smoke user writes <paramref name="text"/>; the answer that <paramref name="matches"/> (the gateway's handler
    /// <paramref name="handler"/> runs for it), or <see cref="SmokeStepException"/> when none comes within <paramref name="timeout"/>.
    /// </summary>
    Task<string> AskAsync(string text, string handler, Func<string, bool> matches, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>A position in the conversation, for <see cref="WaitForBotMessageAsync"/>.</summary>
    Task<long> MarkAsync(CancellationToken cancellationToken);

    /// <summary>A message the bot sends by itself after <paramref name="mark"/> (e.g. from a workflow).</summary>
    Task<string> WaitForBotMessageAsync(long mark, Func<string, bool> matches, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>A smoke step's failure; the message says what was expected and what happened.</summary>
internal sealed class SmokeStepException(string message) : Exception(message);
