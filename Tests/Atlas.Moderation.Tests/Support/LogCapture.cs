using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Atlas.Moderation.Tests.Support;

/// <summary>A logger provider that keeps every log line (event id and formatted message) a host writes, for assertions.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, string Message)> _lines = new();

    public IReadOnlyList<(int EventId, string Message)> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Capturing(_lines);

    public void Dispose()
    {
    }

    private sealed class Capturing(ConcurrentQueue<(int, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                lines.Enqueue((eventId.Id, formatter(state, exception)));
            }
        }
    }
}
