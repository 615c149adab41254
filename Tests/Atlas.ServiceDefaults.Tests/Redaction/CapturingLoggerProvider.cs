using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Tests.Redaction;

/// <summary>One entry as a provider received it, scopes included.</summary>
internal sealed record CapturedLogEntry(
    LogLevel Level,
    string Message,
    object? State,
    Exception? Exception,
    IReadOnlyList<object?> Scopes)
{
    /// <summary>The named state values, or none when the state was not a list of them.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Values =>
        State as IReadOnlyList<KeyValuePair<string, object?>> ?? [];

    public object? Value(string name) => Values.Single(pair => pair.Key == name).Value;
}

/// <summary>
/// A provider that keeps what its loggers receive and reads scopes the way the console and OpenTelemetry
/// providers do, through the factory's external scope provider.
/// </summary>
[ProviderAlias("Capturing")]
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyList<CapturedLogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            List<object?> scopes = [];
            provider._scopes?.ForEachScope(static (scope, list) => list.Add(scope), scopes);
            provider._entries.Enqueue(new CapturedLogEntry(logLevel, formatter(state, exception), state, exception, scopes));
        }
    }
}
