using System.Security.Cryptography;
using System.Text;

namespace Atlas.Gateway.Handling;

/// <summary>
/// Bus message ids derived from the Telegram update, so that a message published again for the same update (after a
/// crash or a redelivery) carries the same MassTransit MessageId and consumers recognise it.
/// </summary>
public static class UpdateMessageIds
{
    /// <summary>A stable UUID (version 8, name-based) for what update <paramref name="updateId"/> caused under <paramref name="purpose"/>.</summary>
    public static Guid For(long updateId, string purpose)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"atlas-gateway:update:{updateId}:{purpose}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
