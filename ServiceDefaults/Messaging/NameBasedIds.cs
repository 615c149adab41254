using System.Security.Cryptography;
using System.Text;

namespace Atlas.ServiceDefaults.Messaging;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 8 from SHA-256): the same name always gives the same id, so a bus message or an
/// action published again for the same cause (a redelivery, a crash before the publish) carries the same id and its
/// consumers recognise it. Each service prefixes its names, so two services never derive the same id by accident.
/// </summary>
public static class NameBasedIds
{
    public static Guid From(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(bytes, bigEndian: true);
    }
}
