using StackExchange.Redis;

namespace Atlas.Backup.Redis;

/// <summary>Writes the keys of database 0 matching a pattern as a logical export (SCAN, then DUMP and PTTL in batches).</summary>
internal static class RedisLogicalExport
{
    private const int Batch = 500;

    /// <summary>Writes the export; returns the number of keys written.</summary>
    public static async Task<long> WriteAsync(IServer server, IDatabase database, string pattern, Stream payload, CancellationToken cancellationToken)
    {
        await using var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true);
        RedisRecordFormat.WriteHeader(writer);
        long count = 0;
        var keys = new List<RedisKey>(Batch);
        await foreach (var key in server.KeysAsync(database.Database, pattern, pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
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
        return count;
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
}
