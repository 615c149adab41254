using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// An <see cref="ILoggerFactory"/> whose loggers redact every entry, scope and exception before the inner
/// factory's loggers (and through them every provider: console, OpenTelemetry, ...) see it.
/// </summary>
/// <remarks>
/// Redaction sits in front of the whole factory rather than around each <see cref="ILoggerProvider"/>: the inner
/// factory still sees the real provider types, so per-provider filter rules (<c>Logging:Console:LogLevel</c>,
/// <c>Logging:OpenTelemetry:LogLevel</c>) and external scopes keep working, and each entry is redacted once
/// rather than once per provider.
/// </remarks>
public sealed class RedactingLoggerFactory : ILoggerFactory
{
    private readonly ILoggerFactory _inner;
    private readonly SecretRedactor _redactor;
    private readonly bool _ownsInner;
    private readonly ConcurrentDictionary<string, RedactingLogger> _loggers = new(StringComparer.Ordinal);

    /// <summary>Wraps <paramref name="inner"/>, which this factory then owns and disposes.</summary>
    public RedactingLoggerFactory(ILoggerFactory inner, SecretRedactor redactor)
        : this(inner, redactor, ownsInner: true)
    {
    }

    internal RedactingLoggerFactory(ILoggerFactory inner, SecretRedactor redactor, bool ownsInner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(redactor);
        _inner = inner;
        _redactor = redactor;
        _ownsInner = ownsInner;
    }

    /// <summary>The factory whose loggers receive the redacted entries.</summary>
    internal ILoggerFactory Inner => _inner;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(
            categoryName,
            static (category, factory) => new RedactingLogger(factory._inner.CreateLogger(category), factory._redactor),
            this);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsInner)
        {
            _inner.Dispose();
        }
    }
}
