using System.Collections;
using System.Globalization;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// Redacts one structured value (a log state entry, a scope item, an activity tag) the way an exporter
/// would print it: strings directly, other objects through their invariant string form.
/// </summary>
internal static class RedactedValue
{
    /// <summary>
    /// Returns <paramref name="value"/> itself when it cannot hold a secret or its text holds none;
    /// otherwise a redacted string (or, for a sequence, an array of redacted items).
    /// </summary>
    public static object? Of(object? value, SecretRedactor redactor) => value switch
    {
        null => null,
        string text => redactor.Redact(text),
        _ when IsPlainData(value) => value,
        IEnumerable items => OfItems(value, items, redactor),
        _ => OfObject(value, redactor),
    };

    /// <summary>Numbers, booleans, enums, dates, times and ids keep their type: they cannot hold a secret.</summary>
    private static bool IsPlainData(object value) =>
        value.GetType().IsPrimitive
        || value is Enum or decimal or DateTime or DateTimeOffset or DateOnly or TimeOnly or TimeSpan or Guid;

    private static object OfObject(object value, SecretRedactor redactor)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture);
        if (text is null)
        {
            return value;
        }

        var redacted = redactor.Redact(text);
        return ReferenceEquals(redacted, text) ? value : redacted;
    }

    private static object OfItems(object value, IEnumerable items, SecretRedactor redactor)
    {
        List<object?> redactedItems = [];
        var changed = false;
        foreach (var item in items)
        {
            // One level deep: a nested sequence is judged by its string form.
            var redacted = item is string || item is not IEnumerable ? Of(item, redactor) : OfObject(item, redactor);
            changed |= !ReferenceEquals(redacted, item);
            redactedItems.Add(redacted);
        }

        return changed ? redactedItems.ToArray() : value;
    }
}
