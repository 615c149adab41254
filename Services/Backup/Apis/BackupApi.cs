using System.Text.Json;
using Atlas.Backup.Catalog;
using Atlas.Backup.Postgres;
using Atlas.Backup.Running;
using Atlas.Backup.Targets;
using Atlas.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Backup.Apis;

/// <summary>
/// Operator endpoints under <c>/backups</c>: back up now, list and read backups, verify one, restore one. Every
/// refusal is an RFC 9457 problem with the reason. Every route needs the ops key (<c>X-Admin-Key</c> equal to
/// <c>Backup:OpsApiKey</c>): a restore overwrites data.
/// </summary>
public static class BackupApi
{
    public static RouteGroupBuilder MapBackupApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/backups").WithTags("Backups").RequireOpsKey("Backup:OpsApiKey");
        api.MapPost("/", BackUpAsync).WithName("BackUpNow");
        api.MapGet("/", ListAsync).WithName("ListBackups");
        api.MapGet("/{id}", GetAsync).WithName("GetBackup");
        api.MapPost("/latest/verification", VerifyLatestAsync).WithName("VerifyLatestBackups");
        api.MapPost("/{id}/verification", VerifyAsync).WithName("VerifyBackup");
        api.MapGet("/{id}/verifications", VerificationsAsync).WithName("ListVerifications");
        api.MapPost("/{id}/restore", RestoreAsync).WithName("RestoreBackup");
        return api;
    }

    public static async Task<Results<Created<BackupRun>, ProblemHttpResult>> BackUpAsync(
        HttpRequest request, [AsParameters] BackupServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var (body, error) = await ApiBodies.ReadAsync<BackUpBody>(request, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var selected = services.Targets.Resolve(body?.Target);
        if (selected is null)
        {
            return ApiBodies.Problem(StatusCodes.Status400BadRequest, "Unknown backup target",
                $"Send {{\"target\": \"<name>\"}} with one of: all, postgres, {services.Targets.Names}.");
        }

        var run = await BackupBatch.RunAsync(services.Runner, selected, "manual", cancellationToken).ConfigureAwait(false);
        if (run.Failures.Count > 0)
        {
            return TypedResults.Problem(string.Join(" ", run.Failures.Select(f => f.Reason)), statusCode: StatusCodes.Status500InternalServerError,
                title: "Backup failed", extensions: new Dictionary<string, object?> { ["backups"] = run.Backups, ["failures"] = run.Failures });
        }

        return TypedResults.Created(run.Backups.Count == 1 ? $"/backups/{run.Backups[0].Id}" : "/backups", run);
    }

    /// <summary>
    /// The catalog, newest first (<c>?target=</c> one target's). A target that is neither configured nor in the catalog
    /// (a typo) is refused with the names there are, rather than answered with an empty list that reads as "no backups".
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<BackupRecord>>, ProblemHttpResult>> ListAsync(
        string? target, [AsParameters] BackupServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var backups = await services.Catalog.ListAsync(target, cancellationToken).ConfigureAwait(false);
        if (backups.Count == 0 && target is not null && !services.Targets.TryGet(target, out _))
        {
            return ApiBodies.Problem(StatusCodes.Status400BadRequest, "Unknown backup target",
                $"'{target}' is not a backup target here and has no backups; use ?target= with one of: {services.Targets.Names}.");
        }

        return TypedResults.Ok(backups);
    }

    public static async Task<Results<Ok<BackupRecord>, ProblemHttpResult>> GetAsync(
        string id, [AsParameters] BackupServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var (record, problem) = await FindAsync(id, services, cancellationToken).ConfigureAwait(false);
        return record is null ? problem! : TypedResults.Ok(record);
    }

    public static async Task<Results<Ok<BackupRecord>, ProblemHttpResult>> VerifyAsync(
        string id, [AsParameters] BackupServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var (record, problem) = await FindAsync(id, services, cancellationToken).ConfigureAwait(false);
        return record is null ? problem! : TypedResults.Ok(await services.Verifier.VerifyAsync(record, "manual", cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Verifies the newest backup of each target (<c>?target=</c> a name, <c>postgres</c> or <c>all</c>, the default).</summary>
    public static async Task<Results<Ok<IReadOnlyList<BackupRecord>>, ProblemHttpResult>> VerifyLatestAsync(
        string? target, [AsParameters] BackupServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var selected = services.Targets.Resolve(target ?? "all");
        if (selected is null)
        {
            return ApiBodies.Problem(StatusCodes.Status400BadRequest, "Unknown backup target",
                $"Use ?target= with one of: all, postgres, {services.Targets.Names}.");
        }

        var verified = new List<BackupRecord>();
        foreach (var one in selected)
        {
            var backups = await services.Catalog.ListAsync(one.Name, cancellationToken).ConfigureAwait(false);
            if (backups.Count > 0)
            {
                verified.Add(await services.Verifier.VerifyAsync(backups[0], "manual", cancellationToken).ConfigureAwait(false));
            }
        }

        return TypedResults.Ok<IReadOnlyList<BackupRecord>>(verified);
    }

    /// <summary>Every verification of one backup, newest first: after the backup, on schedule, on request.</summary>
    public static async Task<Results<Ok<IReadOnlyList<VerificationEntry>>, ProblemHttpResult>> VerificationsAsync(
        string id, [AsParameters] BackupServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var (record, problem) = await FindAsync(id, services, cancellationToken).ConfigureAwait(false);
        return record is null ? problem! : TypedResults.Ok(await services.Catalog.VerificationsAsync(record.Id, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<Results<Ok<RestoreResult>, ProblemHttpResult>> RestoreAsync(
        string id, HttpRequest request, [AsParameters] BackupServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var (body, error) = await ApiBodies.ReadAsync<RestoreBody>(request, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var (record, problem) = await FindAsync(id, services, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return problem!;
        }

        var refusal = await RestoreChecks.RefuseAsync(record, body, services.Targets, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var into = body!.Into!.Equals("source", StringComparison.OrdinalIgnoreCase) ? null : body.Into;
        try
        {
            return TypedResults.Ok(await services.Restorer.RestoreAsync(record, into, "HTTP API", cancellationToken).ConfigureAwait(false));
        }
        catch (BackupException exception)
        {
            return ApiBodies.Problem(StatusCodes.Status422UnprocessableEntity, "Restore failed", exception.Message);
        }
    }

    private static async Task<(BackupRecord? Record, ProblemHttpResult? Problem)> FindAsync(string id, BackupServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var backupId))
        {
            return (null, ApiBodies.Problem(StatusCodes.Status400BadRequest, "Not a backup id", $"'{id}' is not a backup id (a GUID from GET /backups)."));
        }

        var record = await services.Catalog.FindAsync(backupId, cancellationToken).ConfigureAwait(false);
        return record is null
            ? (null, ApiBodies.Problem(StatusCodes.Status404NotFound, "No such backup", $"There is no backup {backupId} in the catalog."))
            : (record, null);
    }
}

/// <summary>What the endpoints need.</summary>
public sealed record BackupServices(BackupTargets Targets, BackupCatalog Catalog, BackupRunner Runner, BackupVerifier Verifier, BackupRestorer Restorer);

public sealed record BackUpBody(string? Target);

public sealed record RestoreBody(string? Into, bool? Confirm);
