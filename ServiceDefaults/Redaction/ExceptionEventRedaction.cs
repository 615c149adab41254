using System.Diagnostics;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// Redacts the tags of exception events as <see cref="Activity.AddException"/> builds them. An event's tags cannot
/// be changed once it is added, so this listens for exceptions being recorded and supplies redacted
/// <c>exception.message</c> and <c>exception.stacktrace</c> tags first; <see cref="Activity.AddException"/>
/// keeps tags it is given and only adds the ones missing.
/// </summary>
/// <remarks>
/// The listener listens to every source but samples nothing, so it creates no activity of its own.
/// Events added with <see cref="Activity.AddEvent"/> are not covered.
/// </remarks>
internal sealed class ExceptionEventRedaction : IDisposable
{
    private const string MessageTag = "exception.message";
    private const string StackTraceTag = "exception.stacktrace";

    private readonly SecretRedactor _redactor;
    private readonly ActivityListener _listener;

    public ExceptionEventRedaction(SecretRedactor redactor)
    {
        _redactor = redactor;
        _listener = new ActivityListener
        {
            ShouldListenTo = static _ => true,
            ExceptionRecorder = RedactTags,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    private void RedactTags(Activity activity, Exception exception, ref TagList tags)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            var (key, value) = tags[i];
            var redacted = RedactedValue.Of(value, _redactor);
            if (!ReferenceEquals(redacted, value))
            {
                tags[i] = new(key, redacted);
            }
        }

        AddWhenRedacted(ref tags, MessageTag, exception.Message);
        AddWhenRedacted(ref tags, StackTraceTag, exception.ToString());
    }

    private void AddWhenRedacted(ref TagList tags, string key, string text)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Key == key)
            {
                return;
            }
        }

        var redacted = _redactor.Redact(text);
        if (!ReferenceEquals(redacted, text))
        {
            tags.Add(key, redacted);
        }
    }
}
