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

    public static bool MayCarrySecret(string key) =>
        Known.Count < 4096 ? Known.GetOrAdd(key, Judge) : Judge(key);

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
