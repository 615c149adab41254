using System.Text;

namespace Atlas.Backup.Redis;

/// <summary>
/// The Redis export payload: a magic line, then per key its name, remaining time to live in ms (-1 for none) and
/// the DUMP value, ended by a record with key length -1 and the key count.
/// </summary>
internal static class RedisRecordFormat
{
    public static readonly byte[] Magic = Encoding.ASCII.GetBytes("ATLRDS01");

    public sealed record Entry(byte[] Key, long TtlMilliseconds, byte[] Value);

    public static void WriteHeader(BinaryWriter writer) => writer.Write(Magic);

    public static void Write(BinaryWriter writer, Entry entry)
    {
        writer.Write(entry.Key.Length);
        writer.Write(entry.Key);
        writer.Write(entry.TtlMilliseconds);
        writer.Write(entry.Value.Length);
        writer.Write(entry.Value);
    }

    public static void WriteEnd(BinaryWriter writer, long count)
    {
        writer.Write(-1);
        writer.Write(count);
    }

    /// <summary>Reads every entry; throws when the stream is not an export or ends early.</summary>
    public static IEnumerable<Entry> Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException("The payload is not a Redis export.");
        }

        long count = 0;
        while (true)
        {
            var keyLength = reader.ReadInt32();
            if (keyLength < 0)
            {
                var expected = reader.ReadInt64();
                if (expected != count)
                {
                    throw new InvalidDataException($"The Redis export announces {expected} keys but holds {count}.");
                }

                yield break;
            }

            var key = reader.ReadBytes(keyLength);
            var ttl = reader.ReadInt64();
            var value = reader.ReadBytes(reader.ReadInt32());
            count++;
            yield return new Entry(key, ttl, value);
        }
    }
}
