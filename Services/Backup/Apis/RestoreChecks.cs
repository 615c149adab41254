using Atlas.Backup.Catalog;
using Atlas.Backup.Postgres;
using Atlas.Backup.Targets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Backup.Apis;

/// <summary>The guards in front of a restore: explicit confirmation, a sensible destination, nothing overwritten by accident.</summary>
internal static class RestoreChecks
{
    public static async Task<ProblemHttpResult?> RefuseAsync(BackupRecord record, RestoreBody? body, BackupTargets targets, CancellationToken cancellationToken)
    {
        if (body?.Confirm != true)
        {
            return ApiBodies.Problem(StatusCodes.Status400BadRequest, "Restore not confirmed",
                "A restore overwrites data. Send {\"into\": \"source\" or a new database name, \"confirm\": true}.");
        }

        if (string.IsNullOrWhiteSpace(body.Into))
        {
            return ApiBodies.Problem(StatusCodes.Status400BadRequest, "Restore destination missing",
                "Say where to restore: {\"into\": \"source\"} or {\"into\": \"<new database name>\"}.");
        }

        if (!targets.TryGet(record.Target, out var target))
        {
            return ApiBodies.Problem(StatusCodes.Status409Conflict, "Target not configured", $"The target {record.Target} is not configured here.");
        }

        if (target.Kind == TargetKind.Configuration)
        {
            return ApiBodies.Problem(StatusCodes.Status400BadRequest, "Not restorable",
                "A configuration snapshot is kept for the record; read it with GET /backups/{id}.");
        }

        if (body.Into.Equals("source", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (target.Kind != TargetKind.Postgres)
        {
            return ApiBodies.Problem(StatusCodes.Status400BadRequest, "Restore destination not supported",
                "A Redis backup is restored into its source only: send {\"into\": \"source\", \"confirm\": true}.");
        }

        if (!PostgresHandler.IsValidDatabaseName(body.Into))
        {
            return ApiBodies.Problem(StatusCodes.Status400BadRequest, "Invalid database name",
                $"'{body.Into}' is not a database name this service creates: use at most 63 lower-case letters, digits and underscores, starting with a letter and not with pg_.");
        }

        return await PostgresHandler.DatabaseExistsAsync(target.ConnectionString, body.Into, cancellationToken).ConfigureAwait(false)
            ? ApiBodies.Problem(StatusCodes.Status409Conflict, "Database exists",
                $"The database {body.Into} already exists; restore into a new name, or into \"source\" to replace the source.")
            : null;
    }
}
