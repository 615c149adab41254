using Atlas.Backup.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Backup.Redis;

/// <summary>
/// The RDB form of a Redis backup (<c>Backup:RedisMode=rdb</c>, for a server on this machine): the payload is the
/// server's own snapshot file. It is read back by loading it into a private redis-server and exporting the keys in
/// scope logically, so restore and verification are the same as for a logical export.
/// </summary>
internal sealed class RdbArtifact(IOptions<BackupOptions> options, TimeProvider time)
{
    private static readonly byte[] Magic = "REDIS"u8.ToArray();

    /// <summary>True when the payload is an RDB file rather than a logical export.</summary>
    public static bool IsRdb(Func<Stream> openPayload)
    {
        ArgumentNullException.ThrowIfNull(openPayload);
        using var payload = openPayload();
        Span<byte> head = stackalloc byte[5];
        payload.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head.SequenceEqual(Magic);
    }

    /// <summary>
    /// Snapshots the server, writes the file to <paramref name="payload"/> and returns the number of keys in scope it
    /// holds. BGSAVE and CONFIG are admin commands, so this uses a connection of its own with admin mode on.
    /// </summary>
    public async Task<long> DumpAsync(string connectionString, string pattern, Stream payload, CancellationToken cancellationToken)
    {
        var snapshot = TempPath(".rdb");
        var admin = ConfigurationOptions.Parse(connectionString);
        admin.AllowAdmin = true;
        try
        {
            await using (var connection = await ConnectionMultiplexer.ConnectAsync(admin).ConfigureAwait(false))
            {
                var server = connection.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica)
                    ?? throw new InvalidOperationException("No connected Redis primary to snapshot.");
                await RdbSnapshot.CopyAsync(server, snapshot, time, options.Value.RedisSaveTimeout, cancellationToken).ConfigureAwait(false);
            }

            await using (var file = File.OpenRead(snapshot))
            {
                await file.CopyToAsync(payload, 1 << 16, cancellationToken).ConfigureAwait(false);
            }

            await using var loaded = await PrivateRedis.StartAsync(options.Value.RedisServerPath, snapshot, time, cancellationToken).ConfigureAwait(false);
            long count = 0;
            await foreach (var _ in loaded.Server.KeysAsync(0, pattern, pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                count++;
            }

            return count;
        }
        finally
        {
            File.Delete(snapshot);
        }
    }

    /// <summary>Loads the RDB payload and writes the keys in scope as a logical export to a temporary file; the caller deletes it.</summary>
    public async Task<string> ToLogicalAsync(Func<Stream> openPayload, string pattern, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openPayload);
        var snapshot = TempPath(".rdb");
        var logical = TempPath(".export");
        try
        {
            await using (var payload = openPayload())
            await using (var file = new FileStream(snapshot, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await payload.CopyToAsync(file, 1 << 16, cancellationToken).ConfigureAwait(false);
            }

            await using var loaded = await PrivateRedis.StartAsync(options.Value.RedisServerPath, snapshot, time, cancellationToken).ConfigureAwait(false);
            await using var export = new FileStream(logical, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await RedisLogicalExport.WriteAsync(loaded.Server, loaded.Connection.GetDatabase(0), pattern, export, cancellationToken).ConfigureAwait(false);
            return logical;
        }
        catch
        {
            File.Delete(logical);
            throw;
        }
        finally
        {
            File.Delete(snapshot);
        }
    }

    private static string TempPath(string extension) => Path.Combine(Path.GetTempPath(), $"atlas-backup-{Guid.NewGuid():N}{extension}");
}
