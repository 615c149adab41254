using Microsoft.Extensions.Configuration;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>Finds the secret values held in configuration, so they can be masked wherever they show up.</summary>
internal static class ConfiguredSecrets
{
    private const string ParametersPrefix = "Parameters:";

    // Matched against the end of a key's last segment: "BotToken", "BOT_TOKEN", "WebhookSecret", "ApiKey", ...
    private static readonly string[] SecretKeySuffixes = ["Token", "Password", "Secret", "ApiKey", "Key"];

    /// <summary>
    /// Every value of a secret-named key or of a key under <c>Parameters:</c>, plus the passwords written
    /// inside any value (connection strings, <c>amqp://user:pass@host</c> URIs). May hold duplicates.
    /// </summary>
    public static IEnumerable<string> Collect(IConfiguration configuration)
    {
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            // A flag named like a secret ("RequireApiKey": true) holds no secret, and masking "true" would garble logs.
            if (IsSecretKey(key) && !bool.TryParse(value, out _))
            {
                yield return value;
            }

            foreach (var password in SecretPatterns.EmbeddedPasswords(value))
            {
                yield return password;
            }
        }
    }

    /// <summary>True for keys under <c>Parameters:</c> and keys whose last segment ends with a secret suffix.</summary>
    public static bool IsSecretKey(string key)
    {
        if (key.StartsWith(ParametersPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var lastSegment = key.AsSpan(key.LastIndexOf(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal) + 1);
        foreach (var suffix in SecretKeySuffixes)
        {
            if (lastSegment.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
