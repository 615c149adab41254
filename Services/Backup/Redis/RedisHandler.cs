using System.Globalization;
using Atlas.Backup.Artifacts;
using Atlas.Backup.Options;
using Atlas.Backup.Running;
using Atlas.Backup.Targets;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Backup.Redis;

/// <summary>
/// Redis backups of the keys under <c>Redis:KeyPrefix</c> (all keys when unset) of database 0. By default a logical
/// export that works against a remote server (SCAN, then DUMP and PTTL per key); with <c>Backup:RedisMode=rdb</c> the
/// server's own RDB snapshot (BGSAVE), for a server on this machine. Both are restored with RESTORE ... REPLACE (an
/// RDB artifact through a private redis-server that loads it).
/// </summary>
internal sealed class RedisHandler(IConnectionMultiplexer redis, IConfiguration configuration, IOptions<BackupOptions> options, RdbArtifact rdb) : ITargetHandler
{
    public TargetKind Kind => TargetKind.Redis;

    private string Pattern => (configuration["Redis:KeyPrefix"] ?? "") + "*";

    public async Task<DumpFacts> DumpAsync(BackupTarget target, Stream payload, CancellationToken cancellationToken)
    {
        var server = Primary();
        var rdbMode = options.Value.RedisMode == "rdb";
        var count = rdbMode
            ? await rdb.DumpAsync(target.ConnectionString, Pattern, payload, cancellationToken).ConfigureAwait(false)
            : await RedisLogicalExport.WriteAsync(server, redis.GetDatabase(0), Pattern, payload, cancellationToken).ConfigureAwait(false);
        return new DumpFacts($"redis://{server.EndPoint}/0", server.Version.ToString(), null)
        {
            Redis = new RedisFacts(0, Pattern, count, rdbMode ? RedisFacts.Rdb : RedisFacts.Logical),
        };
    }

    public async Task<string> RestoreAsync(BackupTarget target, Func<Stream> openPayload, string? into, CancellationToken cancellationToken)
    {
        if (into is not null)
        {
            throw new InvalidOperationException("A Redis backup is restored into its source only.");
        }

        var logical = await LogicalAsync(openPayload, cancellationToken).ConfigureAwait(false);
        try
        {
            return await RestoreLogicalAsync(logical is null ? openPayload : () => File.OpenRead(logical), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            DeleteIfSet(logical);
        }
    }

    public async Task<VerificationOutcome> VerifyAsync(BackupTarget target, BackupManifest manifest, Func<Stream> openPayload, CancellationToken cancellationToken)
    {
        var logical = await LogicalAsync(openPayload, cancellationToken).ConfigureAwait(false);
        try
        {
            return await VerifyLogicalAsync(manifest, logical is null ? openPayload : () => File.OpenRead(logical), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            DeleteIfSet(logical);
        }
    }

    /// <summary>For an RDB artifact, the path of a logical export of it (a temporary file); null when the payload is already logical.</summary>
    private async Task<string?> LogicalAsync(Func<Stream> openPayload, CancellationToken cancellationToken) =>
        RdbArtifact.IsRdb(openPayload) ? await rdb.ToLogicalAsync(openPayload, Pattern, cancellationToken).ConfigureAwait(false) : null;

    private static void DeleteIfSet(string? path)
    {
        if (path is not null)
        {
            File.Delete(path);
        }
    }

    private async Task<string> RestoreLogicalAsync(Func<Stream> openPayload, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase(0);
        var restored = new HashSet<RedisKey>();
        await using (var payload = openPayload())
        {
            foreach (var entry in RedisRecordFormat.Read(payload))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await RestoreOneAsync(database, entry.Key, entry).ConfigureAwait(false);
                restored.Add(entry.Key);
            }
        }

        // Keys written after the backup are not part of it: the keyspace ends up exactly as backed up.
        await foreach (var key in Primary().KeysAsync(0, Pattern, pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!restored.Contains(key))
            {
                await database.KeyDeleteAsync(key).ConfigureAwait(false);
            }
        }

        return $"redis://{Primary().EndPoint}/0 ({restored.Count} keys)";
    }

    private async Task<VerificationOutcome> VerifyLogicalAsync(BackupManifest manifest, Func<Stream> openPayload, CancellationToken cancellationToken)
    {
        var scratch = redis.GetDatabase(options.Value.RedisScratchDatabase);
        var prefix = $"backup-verify:{manifest.Id:N}:";
        var samples = new List<RedisRecordFormat.Entry>();
        long count = 0;
        try
        {
            await using (var payload = openPayload())
            {
                foreach (var entry in RedisRecordFormat.Read(payload))
                {
                    await RestoreOneAsync(scratch, prefix + System.Text.Encoding.UTF8.GetString(entry.Key), entry).ConfigureAwait(false);
                    if (samples.Count < options.Value.RedisVerificationSamples)
                    {
                        samples.Add(entry);
                    }

                    count++;
                }
            }

            var present = 0L;
            await foreach (var _ in Primary().KeysAsync(options.Value.RedisScratchDatabase, prefix + "*", pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                present++;
            }

            var expected = manifest.Redis?.Keys ?? 0;
            if (count != expected || present < count)
            {
                return new VerificationOutcome(false, string.Create(CultureInfo.InvariantCulture,
                    $"Key counts differ: {expected} backed up, {count} in the artifact, {present} restored."));
            }

            foreach (var sample in samples)
            {
                var value = await scratch.KeyDumpAsync(prefix + System.Text.Encoding.UTF8.GetString(sample.Key)).ConfigureAwait(false);
                if (value is null || !value.AsSpan().SequenceEqual(sample.Value))
                {
                    return new VerificationOutcome(false, $"Sampled key {System.Text.Encoding.UTF8.GetString(sample.Key)} restored with a different value.");
                }
            }

            return new VerificationOutcome(true, string.Create(CultureInfo.InvariantCulture,
                $"Restored {count} keys into scratch database {options.Value.RedisScratchDatabase}; key count and {samples.Count} sampled values match."));
        }
        finally
        {
            await foreach (var key in Primary().KeysAsync(options.Value.RedisScratchDatabase, prefix + "*", pageSize: 1000).ConfigureAwait(false))
            {
                await scratch.KeyDeleteAsync(key).ConfigureAwait(false);
            }
        }
    }

    private static Task<RedisResult> RestoreOneAsync(IDatabase database, RedisKey key, RedisRecordFormat.Entry entry) =>
        database.ExecuteAsync("RESTORE", key, entry.TtlMilliseconds > 0 ? entry.TtlMilliseconds : 0, entry.Value, "REPLACE");

    private IServer Primary() =>
        redis.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica)
        ?? throw new InvalidOperationException("No connected Redis primary to back up from.");
}
