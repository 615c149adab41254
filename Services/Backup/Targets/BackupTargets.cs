using Npgsql;

namespace Atlas.Backup.Targets;

/// <summary>
/// The targets this service was given: every <c>ConnectionStrings:&lt;db&gt;</c> that names a PostgreSQL database,
/// <c>ConnectionStrings:redis</c>, and the configuration snapshot. The broker and other non-data connections are skipped.
/// </summary>
public sealed class BackupTargets
{
    private static readonly HashSet<string> NotData = new(StringComparer.OrdinalIgnoreCase) { "rabbitmq", "elasticsearch" };
    private readonly Dictionary<string, BackupTarget> _byName;

    public BackupTargets(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _byName = new Dictionary<string, BackupTarget>(StringComparer.OrdinalIgnoreCase)
        {
            [BackupTarget.ConfigurationName] = new(BackupTarget.ConfigurationName, TargetKind.Configuration, ""),
        };
        foreach (var entry in configuration.GetSection("ConnectionStrings").GetChildren())
        {
            if (string.IsNullOrWhiteSpace(entry.Value) || NotData.Contains(entry.Key))
            {
                continue;
            }

            if (entry.Key.Equals("redis", StringComparison.OrdinalIgnoreCase))
            {
                _byName[entry.Key] = new BackupTarget(entry.Key, TargetKind.Redis, entry.Value);
            }
            else if (IsPostgresDatabase(entry.Value))
            {
                _byName[entry.Key] = new BackupTarget(entry.Key, TargetKind.Postgres, entry.Value);
            }
        }
    }

    public IReadOnlyCollection<BackupTarget> All => _byName.Values;

    public bool TryGet(string name, out BackupTarget target) => _byName.TryGetValue(name, out target!);

    /// <summary>
    /// Resolves a request: a target's name, <c>all</c>, or <c>postgres</c> (every database). Null when unknown.
    /// </summary>
    public IReadOnlyList<BackupTarget>? Resolve(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "all" => [.. _byName.Values.OrderBy(t => t.Kind).ThenBy(t => t.Name, StringComparer.Ordinal)],
        "postgres" => [.. _byName.Values.Where(t => t.Kind == TargetKind.Postgres).OrderBy(t => t.Name, StringComparer.Ordinal)],
        var single => TryGet(single, out var target) ? [target] : null,
    };

    public string Names => string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal));

    private static bool IsPostgresDatabase(string value)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            return !string.IsNullOrEmpty(builder.Host) && !string.IsNullOrEmpty(builder.Database);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
