using System.Text.Json;
using System.Text.RegularExpressions;
using Atlas.Backup.Artifacts;
using Atlas.Backup.Running;
using Atlas.Backup.Targets;

namespace Atlas.Backup.Configuration;

/// <summary>
/// A snapshot of the resolved settings, as JSON, without secrets: secret-named keys are left out and passwords
/// inside connection strings and URLs are cut. It is kept for the record; it is not restored into anything.
/// </summary>
internal sealed partial class ConfigurationHandler(IConfiguration configuration) : ITargetHandler
{
    private static readonly string[] SecretSuffixes = ["token", "password", "secret", "apikey", "key", "keys", "pwd"];

    public TargetKind Kind => TargetKind.Configuration;

    public async Task<DumpFacts> DumpAsync(BackupTarget target, Stream payload, CancellationToken cancellationToken)
    {
        var snapshot = Snapshot(configuration);
        await JsonSerializer.SerializeAsync(payload, snapshot, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new DumpFacts("configuration", null, null) { ConfigurationEntries = snapshot.Count };
    }

    public Task<string> RestoreAsync(BackupTarget target, Func<Stream> openPayload, string? into, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A configuration snapshot is kept for the record; it is not restored. Read it with GET /backups/{id}.");

    public async Task<VerificationOutcome> VerifyAsync(BackupTarget target, BackupManifest manifest, Func<Stream> openPayload, CancellationToken cancellationToken)
    {
        await using var payload = openPayload();
        var entries = await JsonSerializer.DeserializeAsync<SortedDictionary<string, string>>(payload, cancellationToken: cancellationToken).ConfigureAwait(false);
        var count = entries?.Count ?? 0;
        return count == manifest.ConfigurationEntries
            ? new VerificationOutcome(true, $"The snapshot decrypts and holds its {count} settings.")
            : new VerificationOutcome(false, $"The snapshot holds {count} settings, the manifest records {manifest.ConfigurationEntries}.");
    }

    /// <summary>Every setting with a value, secrets removed.</summary>
    public static SortedDictionary<string, string> Snapshot(IConfiguration configuration)
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is null || IsSecret(key))
            {
                continue;
            }

            snapshot[key] = StripPasswords(value);
        }

        return snapshot;
    }

    public static bool IsSecret(string key)
    {
        var last = key[(key.LastIndexOf(':') + 1)..].Replace("_", "", StringComparison.Ordinal);
        return key.StartsWith("Parameters:", StringComparison.OrdinalIgnoreCase)
            || SecretSuffixes.Any(s => last.EndsWith(s, StringComparison.OrdinalIgnoreCase))
            || int.TryParse(last, out _) && IsSecret(key[..key.LastIndexOf(':')]);
    }

    private static string StripPasswords(string value) =>
        UrlPassword().Replace(KeyValuePassword().Replace(value, "${name}=***"), "${user}:***@");

    [GeneratedRegex(@"(?<name>password|pwd)\s*=\s*[^;,]*", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePassword();

    [GeneratedRegex(@"(?<user>[a-z][a-z0-9+.-]*://[^:/@\s]*):[^@\s]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();
}
