using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// Redacts everything written through it before the inner logger sees it: the formatted message, the named
/// state values, the exception and scope states.
/// </summary>
internal sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
{
    /// <summary>The logger that receives the redacted calls.</summary>
    public ILogger Inner => inner;

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        var redacted = RedactedLogState.ForScope(state, redactor);
        return redacted is null ? inner.BeginScope(state) : inner.BeginScope(redacted);
    }

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);

        // Redaction costs more than a level check: skip it for entries no provider will write.
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var message = redactor.Redact(formatter(state, exception));
        var redactedState = RedactedLogState.Create(state, message, redactor);
        var redactedException = RedactedException.Wrap(exception, redactor);
        inner.Log(logLevel, eventId, redactedState, redactedException, RedactedLogState.Format);
    }
}
