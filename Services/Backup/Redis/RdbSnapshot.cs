using System.Globalization;
using StackExchange.Redis;

namespace Atlas.Backup.Redis;

/// <summary>
/// A fresh RDB snapshot of a Redis server on this machine: BGSAVE, then poll LASTSAVE and INFO persistence until the
/// save has finished, then copy <c>CONFIG GET dir</c>/<c>dbfilename</c> (Redis replaces that file by a rename, so the
/// copy is always a whole snapshot).
/// </summary>
internal static class RdbSnapshot
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task CopyAsync(IServer server, string destination, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = await FileOfAsync(server).ConfigureAwait(false);
        var savesBefore = await SavesAsync(server).ConfigureAwait(false);
        var lastBefore = await server.LastSaveAsync().ConfigureAwait(false);
        try
        {
            await server.SaveAsync(SaveType.BackgroundSave).ConfigureAwait(false);
        }
        catch (RedisServerException exception) when (exception.Message.Contains("in progress", StringComparison.OrdinalIgnoreCase))
        {
            // Someone else's save is running; it started before our call, so wait for it and then take our own.
            await WaitAsync(server, savesBefore, null, time, timeout, cancellationToken).ConfigureAwait(false);
            savesBefore = await SavesAsync(server).ConfigureAwait(false);
            lastBefore = await server.LastSaveAsync().ConfigureAwait(false);
            await server.SaveAsync(SaveType.BackgroundSave).ConfigureAwait(false);
        }

        await WaitAsync(server, savesBefore, lastBefore, time, timeout, cancellationToken).ConfigureAwait(false);
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        await using var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The server's RDB file, which must be readable here.</summary>
    private static async Task<string> FileOfAsync(IServer server)
    {
        string dir, name;
        try
        {
            dir = (await server.ConfigGetAsync("dir").ConfigureAwait(false)).Single().Value;
            name = (await server.ConfigGetAsync("dbfilename").ConfigureAwait(false)).Single().Value;
        }
        catch (Exception exception) when (exception is RedisServerException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"Backup:RedisMode=rdb needs CONFIG GET on the Redis server to find its RDB file ({exception.Message}); use Backup:RedisMode=logical.", exception);
        }

        return dir.Length > 0 && Directory.Exists(dir)
            ? Path.Combine(dir, name)
            : throw new InvalidOperationException(
                $"Backup:RedisMode=rdb needs the Redis server on this machine, but its data folder ('{dir}') is not here; use Backup:RedisMode=logical for a remote server.");
    }

    /// <summary>Until no save is running and one more has finished since <paramref name="savesBefore"/> (or LASTSAVE moved).</summary>
    private static async Task WaitAsync(IServer server, long savesBefore, DateTime? lastBefore, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var info = await PersistenceAsync(server).ConfigureAwait(false);
            var last = await server.LastSaveAsync().ConfigureAwait(false);
            var finished = info.GetValueOrDefault("rdb_bgsave_in_progress") == "0"
                && (Number(info, "rdb_saves") > savesBefore || (lastBefore is { } before && last > before));
            if (finished)
            {
                if (info.GetValueOrDefault("rdb_last_bgsave_status") != "ok")
                {
                    throw new InvalidOperationException("Redis BGSAVE failed (rdb_last_bgsave_status is not ok); the reason is in the Redis server's log.");
                }

                return;
            }

            if (time.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"Redis BGSAVE did not finish within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<long> SavesAsync(IServer server) => Number(await PersistenceAsync(server).ConfigureAwait(false), "rdb_saves");

    private static async Task<Dictionary<string, string>> PersistenceAsync(IServer server) =>
        (await server.InfoAsync("persistence").ConfigureAwait(false)).SelectMany(g => g).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static long Number(Dictionary<string, string> info, string name) =>
        long.TryParse(info.GetValueOrDefault(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
