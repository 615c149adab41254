using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Atlas.IntegrationTests;

/// <summary>
/// What the AppHost prints that tests act on: the dashboard login URL ("Login to the dashboard at …/login?t=…"), so
/// the browser test logs in with the printed token as ops do, and the line that says every resource is healthy.
/// </summary>
internal sealed class AppHostConsole : ILoggerProvider
{
    private readonly TaskCompletionSource<Uri> _loginUrl = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, Capture> _loggers = new();
    private readonly ConcurrentQueue<string> _lines = new();

    public Task<Uri> LoginUrl => _loginUrl.Task;

    /// <summary>The "Atlas is ready: …" line.</summary>
    public Task<string> Ready => _ready.Task;

    /// <summary>Every line seen so far, in order.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, _ => new Capture(this));

    public void Dispose()
    {
    }

    private void Seen(string message)
    {
        _lines.Enqueue(message);
        if (message.StartsWith("Atlas is ready:", StringComparison.Ordinal))
        {
            _ready.TrySetResult(message);
        }

        var at = message.IndexOf("/login?t=", StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        var start = message.LastIndexOf("http", at, StringComparison.Ordinal);
        var end = message.IndexOfAny([' ', '\n', '\r'], at);
        if (start >= 0 && Uri.TryCreate(message[start..(end < 0 ? message.Length : end)], UriKind.Absolute, out var url))
        {
            _loginUrl.TrySetResult(url);
        }
    }

    private sealed class Capture(AppHostConsole owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Seen(formatter(state, exception));
            }
        }
    }
}
