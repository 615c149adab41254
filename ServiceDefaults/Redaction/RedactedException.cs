namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// Stands in for a logged exception whose text held a secret. <see cref="Message"/>, <see cref="StackTrace"/>
/// and <see cref="ToString"/> are the original's, redacted; <see cref="OriginalTypeName"/> names the original type
/// (and <see cref="ToString"/> starts with it, as the original's did).
/// </summary>
/// <remarks>The original's <see cref="Exception.Data"/> is not carried over: it may hold secrets too.</remarks>
public sealed class RedactedException : Exception
{
    private readonly string? _stackTrace;
    private readonly string? _text;

    /// <summary>Creates an empty stand-in; loggers create real ones through redaction.</summary>
    public RedactedException()
        : this(string.Empty)
    {
    }

    /// <summary>Creates a stand-in with the given (already safe) message.</summary>
    public RedactedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates a stand-in with the given (already safe) message and inner exception.</summary>
    public RedactedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        OriginalTypeName = typeof(RedactedException).FullName!;
    }

    private RedactedException(Exception original, SecretRedactor redactor, string message, string? stackTrace, string text)
        : base(message, Wrap(original.InnerException, redactor))
    {
        OriginalTypeName = original.GetType().FullName ?? original.GetType().Name;
        _stackTrace = stackTrace;
        _text = text;
        Source = original.Source;
        HResult = original.HResult;
    }

    /// <summary>The full name of the exception type this one stands in for, e.g. <c>System.Net.Http.HttpRequestException</c>.</summary>
    public string OriginalTypeName { get; }

    /// <inheritdoc />
    public override string? StackTrace => _stackTrace ?? base.StackTrace;

    /// <summary>
    /// Returns <paramref name="exception"/> itself when its message, stack trace and text hold no secret;
    /// otherwise a <see cref="RedactedException"/> standing in for it.
    /// </summary>
    public static Exception? Wrap(Exception? exception, SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        if (exception is null or RedactedException)
        {
            return exception;
        }

        var message = exception.Message;
        var stackTrace = exception.StackTrace;
        var text = exception.ToString();
        var redactedMessage = redactor.Redact(message);
        var redactedStackTrace = stackTrace is null ? null : redactor.Redact(stackTrace);
        var redactedText = redactor.Redact(text);

        var unchanged = ReferenceEquals(redactedMessage, message)
            && ReferenceEquals(redactedStackTrace, stackTrace)
            && ReferenceEquals(redactedText, text);

        return unchanged
            ? exception
            : new RedactedException(exception, redactor, redactedMessage, redactedStackTrace, redactedText);
    }

    /// <summary>The original's text (type, message, inner exceptions, stack trace), redacted.</summary>
    public override string ToString() => _text ?? base.ToString();
}
