using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Atlas.Backup.Postgres;

/// <summary>The major versions of pg_dump/pg_restore and of a server; a backup runs only when they match.</summary>
internal static partial class PgVersions
{
    public static async Task<(int Major, string Text)> ClientAsync(string tool, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"{tool} was not found ({exception.Message}). Install the PostgreSQL client tools of the server's major version (Debian: postgresql-client-15).",
                exception);
        }

        using (process)
        {
            var output = (await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var match = VersionNumber().Match(output);
            return match.Success
                ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), output)
                : throw new InvalidOperationException($"Cannot read the version of {tool} from '{output}'.");
        }
    }

    public static async Task<(int Major, string Text)> ServerAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version_num')::int, current_setting('server_version')", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt32(0) / 10000, reader.GetString(1));
    }

    public static void EnsureMatch(string tool, int clientMajor, int serverMajor, string target)
    {
        if (clientMajor != serverMajor)
        {
            throw new InvalidOperationException(
                $"{tool} is version {clientMajor} but the server of {target} runs PostgreSQL {serverMajor}. " +
                $"Install postgresql-client-{serverMajor} and point Backup:PgDumpPath / Backup:PgRestorePath at it.");
        }
    }

    [GeneratedRegex(@"(\d+)(\.\d+)?")]
    private static partial Regex VersionNumber();
}
