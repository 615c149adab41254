using System.Collections.Concurrent;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// Which span attributes can carry a secret, judged by key: URLs and their parts, database statements and
/// connection details, headers, exception and error texts, message bodies and arguments, and anything named like a
/// token, key, secret, password or credential. Only those go through the redactor; a status code, a route, a
/// message type or a queue name never does. The answer per key is remembered (keys are few and repeat).
/// </summary>
internal static class SecretBearingTags
{
    private static readonly string[] Markers =
    [
        "url", "uri", "target", "query", "statement", "connection", "header", "exception", "error", "message.body",
        "body", "payload", "text", "args", "token", "secret", "password", "passwd", "pwd", "key", "auth", "credential",
        "cookie", "user_info", "dsn",
    ];

    private static readonly ConcurrentDictionary<string, bool> Known = new(StringComparer.Ordinal);

    // A known key is a lock-free read; ConcurrentDictionary.Count takes every bucket lock, so it is asked only for a new key.
    public static bool MayCarrySecret(string key) =>
        Known.TryGetValue(key, out var known) ? known : Known.Count < 4096 ? Known.GetOrAdd(key, Judge) : Judge(key);

    private static bool Judge(string key)
    {
        foreach (var marker in Markers)
        {
            if (key.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
