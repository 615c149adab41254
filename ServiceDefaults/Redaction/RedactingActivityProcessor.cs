using System.Diagnostics;
using OpenTelemetry;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// Redacts an ended activity before exporters see it: display name, status description, and the values of the tags
/// whose key says they can carry a secret (<see cref="SecretBearingTags"/>: URLs, statements, headers, errors, ...);
/// the rest (status codes, routes, message types, queue names) are not run through the redactor at all.
/// While it is alive it also redacts the tags of exception events as <see cref="Activity.AddException"/> records them.
/// </summary>
/// <remarks>
/// <para>Processors run in the order they were added, so add this one before any exporter
/// (see <see cref="RedactionTracerProviderBuilderExtensions.AddSecretRedaction"/>).</para>
/// <para>The runtime copies event and link tags into a list that cannot be changed afterwards, so tags of events
/// added with <see cref="Activity.AddEvent"/> and of links are left as they are: do not put secrets there.</para>
/// </remarks>
public sealed class RedactingActivityProcessor : BaseProcessor<Activity>
{
    private readonly SecretRedactor _redactor;
    private readonly ExceptionEventRedaction _exceptionEvents;

    /// <summary>Creates a processor that redacts with <paramref name="redactor"/>.</summary>
    public RedactingActivityProcessor(SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        _redactor = redactor;
        _exceptionEvents = new ExceptionEventRedaction(redactor);
    }

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);

        var displayName = data.DisplayName;
        var redactedName = _redactor.Redact(displayName);
        if (!ReferenceEquals(redactedName, displayName))
        {
            data.DisplayName = redactedName;
        }

        if (RedactedTags(data.TagObjects) is { } changedTags)
        {
            foreach (var (key, value) in changedTags)
            {
                data.SetTag(key, value);
            }
        }

        if (data.StatusDescription is { } description)
        {
            var redactedDescription = _redactor.Redact(description);
            if (!ReferenceEquals(redactedDescription, description))
            {
                data.SetStatus(data.Status, redactedDescription);
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _exceptionEvents.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// The tags whose value changed, with the new value, or <see langword="null"/> when none did;
    /// collected first because tags cannot change while they are enumerated.
    /// </summary>
    private List<KeyValuePair<string, object?>>? RedactedTags(IEnumerable<KeyValuePair<string, object?>> tags)
    {
        List<KeyValuePair<string, object?>>? changed = null;
        foreach (var (key, value) in tags)
        {
            if (!SecretBearingTags.MayCarrySecret(key))
            {
                continue;
            }

            var redacted = RedactedValue.Of(value, _redactor);
            if (!ReferenceEquals(redacted, value))
            {
                (changed ??= []).Add(new(key, redacted));
            }
        }

        return changed;
    }
}
