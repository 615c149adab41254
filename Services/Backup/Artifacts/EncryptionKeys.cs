using System.Security.Cryptography;
using System.Text;
using Atlas.Backup.Options;
using Microsoft.Extensions.Options;

namespace Atlas.Backup.Artifacts;

/// <summary>
/// The key ring: <c>Backup:EncryptionKey</c> encrypts new artifacts; it and every key in <c>Backup:RetiredKeys</c>
/// can read old ones. A key is known in artifacts only by its id (the first 8 bytes of a SHA-256 of it), never by value.
/// </summary>
public sealed class EncryptionKeys
{
    private readonly Dictionary<string, byte[]> _byId = new(StringComparer.Ordinal);

    public EncryptionKeys(IOptions<BackupOptions> options)
        : this(options.Value.EncryptionKey, options.Value.RetiredKeys)
    {
    }

    public EncryptionKeys(string currentKey, IEnumerable<string> retiredKeys)
    {
        ArgumentNullException.ThrowIfNull(retiredKeys);
        Current = Decode(currentKey, "Backup:EncryptionKey");
        CurrentId = IdOf(Current);
        _byId[CurrentId] = Current;
        var index = 0;
        foreach (var retired in retiredKeys)
        {
            var key = Decode(retired, $"Backup:RetiredKeys:{index++}");
            _byId.TryAdd(IdOf(key), key);
        }
    }

    public byte[] Current { get; }

    /// <summary>Hex id of the current key, written in each artifact's header and manifest.</summary>
    public string CurrentId { get; }

    public bool TryFind(string keyId, out byte[] key) => _byId.TryGetValue(keyId, out key!);

    /// <summary>True when <paramref name="base64"/> decodes to exactly 32 bytes.</summary>
    public static bool IsValid(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return false;
        }

        var buffer = new byte[48];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written == 32;
    }

    public static string IdOf(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData([.. Encoding.ASCII.GetBytes("atlas-backup-key-id:"), .. key]);
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    private static byte[] Decode(string? base64, string path) =>
        IsValid(base64)
            ? Convert.FromBase64String(base64!.Trim())
            : throw new InvalidOperationException($"{path} must be the base64 of exactly 32 random bytes (for example: openssl rand -base64 32).");
}
