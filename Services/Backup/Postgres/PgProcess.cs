using System.Diagnostics;
using System.Text;
using Npgsql;

namespace Atlas.Backup.Postgres;

/// <summary>Runs pg_dump / pg_restore with the connection in PG* environment variables, so no password is on a command line.</summary>
internal static class PgProcess
{
    private const int StderrLimit = 4000;

    public static Process Start(string fileName, IEnumerable<string> arguments, NpgsqlConnectionStringBuilder connection, string? database = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PGHOST"] = connection.Host;
        info.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["PGUSER"] = connection.Username;
        info.Environment["PGDATABASE"] = database ?? connection.Database;
        info.Environment["PGPASSWORD"] = connection.Password ?? "";
        info.Environment["PGSSLMODE"] = connection.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"{fileName} could not be started ({exception.Message}). Install the PostgreSQL client tools (Debian: postgresql-client) or set Backup:PgDumpPath / Backup:PgRestorePath.",
                exception);
        }
    }

    /// <summary>Collects the first few kilobytes of stderr for the error message.</summary>
    public static async Task<string> ReadErrorsAsync(Process process, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new char[1024];
        int read;
        while ((read = await process.StandardError.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (text.Length < StderrLimit)
            {
                text.Append(buffer, 0, Math.Min(read, StderrLimit - text.Length));
            }
        }

        return text.ToString().Trim();
    }

    public static async Task EnsureSucceededAsync(Process process, Task<string> errors, string what, CancellationToken cancellationToken)
    {
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var message = await errors.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} exited with code {process.ExitCode}: {message}");
        }
    }
}
