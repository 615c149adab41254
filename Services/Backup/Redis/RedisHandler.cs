using System.Globalization;
using Atlas.Backup.Artifacts;
using Atlas.Backup.Options;
using Atlas.Backup.Running;
using Atlas.Backup.Targets;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Backup.Redis;

/// <summary>
/// A logical Redis export that works against a remote server: SCAN, then DUMP and PTTL per key; restored with
/// RESTORE ... REPLACE. The scope is the keys under <c>Redis:KeyPrefix</c> (all keys when unset) of database 0.
/// </summary>
internal sealed class RedisHandler(IConnectionMultiplexer redis, IConfiguration configuration, IOptions<BackupOptions> options) : ITargetHandler
{
    private const int Batch = 500;

    public TargetKind Kind => TargetKind.Redis;

    private string Pattern => (configuration["Redis:KeyPrefix"] ?? "") + "*";

    public async Task<DumpFacts> DumpAsync(BackupTarget target, Stream payload, CancellationToken cancellationToken)
    {
        var server = Primary();
        var database = redis.GetDatabase(0);
        await using var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true);
        RedisRecordFormat.WriteHeader(writer);
        long count = 0;
        var keys = new List<RedisKey>(Batch);
        await foreach (var key in server.KeysAsync(0, Pattern, pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
            if (keys.Count == Batch)
            {
                count += await ExportAsync(database, keys, writer).ConfigureAwait(false);
                keys.Clear();
            }
        }

        count += await ExportAsync(database, keys, writer).ConfigureAwait(false);
        RedisRecordFormat.WriteEnd(writer, count);
        await writer.BaseStream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new DumpFacts($"redis://{server.EndPoint}/0", server.Version.ToString(), null) { Redis = new RedisFacts(0, Pattern, count) };
    }

    public async Task<string> RestoreAsync(BackupTarget target, Func<Stream> openPayload, string? into, CancellationToken cancellationToken)
    {
        if (into is not null)
        {
            throw new InvalidOperationException("A Redis backup is restored into its source only.");
        }

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

    public async Task<VerificationOutcome> VerifyAsync(BackupTarget target, BackupManifest manifest, Func<Stream> openPayload, CancellationToken cancellationToken)
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

    private static async Task<int> ExportAsync(IDatabase database, List<RedisKey> keys, BinaryWriter writer)
    {
        var dumps = keys.Select(k => database.KeyDumpAsync(k)).ToArray();
        var ttls = keys.Select(k => database.ExecuteAsync("PTTL", k)).ToArray();
        var written = 0;
        for (var i = 0; i < keys.Count; i++)
        {
            var value = await dumps[i].ConfigureAwait(false);
            var ttl = (long)await ttls[i].ConfigureAwait(false);
            if (value is null || ttl == -2)
            {
                continue; // deleted or expired between SCAN and DUMP
            }

            RedisRecordFormat.Write(writer, new RedisRecordFormat.Entry(keys[i]!, ttl, value));
            written++;
        }

        return written;
    }

    private static Task<RedisResult> RestoreOneAsync(IDatabase database, RedisKey key, RedisRecordFormat.Entry entry) =>
        database.ExecuteAsync("RESTORE", key, entry.TtlMilliseconds > 0 ? entry.TtlMilliseconds : 0, entry.Value, "REPLACE");

    private IServer Primary() =>
        redis.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica)
        ?? throw new InvalidOperationException("No connected Redis primary to back up from.");
}
