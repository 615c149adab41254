using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Atlas.IntegrationTests;

/// <summary>
/// Keeps the dashboard login URL the AppHost prints at start ("Login to the dashboard at …/login?t=…"), so the
/// browser test logs in with the printed token as ops do.
/// </summary>
internal sealed class LoginUrlCapture : ILoggerProvider
{
    private readonly TaskCompletionSource<Uri> _loginUrl = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, Capture> _loggers = new();

    public Task<Uri> LoginUrl => _loginUrl.Task;

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, _ => new Capture(this));

    public void Dispose()
    {
    }

    private void Seen(string message)
    {
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

    private sealed class Capture(LoginUrlCapture owner) : ILogger
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
