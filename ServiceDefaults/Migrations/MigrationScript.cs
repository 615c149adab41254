using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Atlas.ServiceDefaults.Migrations;

/// <summary>
/// One versioned SQL script, embedded in a service assembly as <c>Migrations/NNNN_what_it_does.sql</c>.
/// The number orders the scripts; the checksum detects a script edited after it was applied.
/// </summary>
public sealed record MigrationScript(int Version, string Name, string Sql, string Checksum)
{
    private const string Folder = ".Migrations.";

    /// <summary>All scripts embedded in <paramref name="assembly"/>, ordered by version; a duplicate version is an error.</summary>
    public static IReadOnlyList<MigrationScript> LoadFrom(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var folderAt = resource.IndexOf(Folder, StringComparison.Ordinal);
            if (folderAt < 0 || !resource.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var fileName = resource[(folderAt + Folder.Length)..^".sql".Length];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(Create(fileName, reader.ReadToEnd()));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(s => s.Name))}.");
        }

        return [.. scripts.OrderBy(s => s.Version)];
    }

    /// <summary>
    /// The scripts of <paramref name="assembly"/> followed by ServiceDefaults' shared ones (the ops audit table, versions
    /// from 9001), which every service database gets; a version used by both is an error.
    /// </summary>
    public static IReadOnlyList<MigrationScript> LoadWithShared(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var own = LoadFrom(assembly);
        var shared = assembly == typeof(MigrationScript).Assembly ? [] : LoadFrom(typeof(MigrationScript).Assembly);
        if (own.FirstOrDefault(s => shared.Any(x => x.Version == s.Version)) is { } clash)
        {
            throw new InvalidOperationException($"Migration {clash.Name} uses version {clash.Version}, which is reserved for ServiceDefaults' shared scripts.");
        }

        return [.. own, .. shared];
    }

    /// <summary>Builds a script from a file name such as <c>0001_create_chats</c>.</summary>
    public static MigrationScript Create(string fileName, string sql)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sql);
        var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !int.TryParse(fileName.AsSpan(0, underscore), out var version) || version <= 0)
        {
            throw new FormatException($"Migration '{fileName}' must be named NNNN_description.sql with a positive number.");
        }

        var normalized = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
        return new MigrationScript(version, fileName, normalized, checksum);
    }
}
