using System.Security.Cryptography;
using System.Text;

namespace Atlas.Moderation.Decisions;

/// <summary>Name-based UUIDs (version 8), so the n-th action of an event has the same id however often it is decided.</summary>
public static class StableIds
{
    public static Guid For(string eventKey, string purpose)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"atlas-moderation:{eventKey}:{purpose}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
