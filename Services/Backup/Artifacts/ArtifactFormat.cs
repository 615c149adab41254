using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Atlas.Backup.Artifacts;

/// <summary>
/// The encrypted artifact layout. Header: magic, key id, chunk size, salt. The salt derives a key of this artifact
/// alone (HKDF-SHA256), so a chunk counter is a safe AES-GCM nonce. Each chunk: a flag byte (1 on the last chunk),
/// the plaintext length, the ciphertext and a 16-byte tag; the header, counter and flag are authenticated, so
/// reordered, truncated or altered chunks fail to decrypt.
/// </summary>
internal static class ArtifactFormat
{
    public const int TagSize = 16;
    public const int NonceSize = 12;
    public const int SaltSize = 16;
    public const int HeaderSize = 8 + 8 + 4 + SaltSize;
    public const int ChunkPrefixSize = 1 + 4;
    public const int DefaultChunkSize = 1 << 20;
    public const string Algorithm = "AES-256-GCM";
    public static readonly byte[] Magic = Encoding.ASCII.GetBytes("ATLBK001");

    public static byte[] WriteHeader(string keyId, int chunkSize, byte[] salt)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        Convert.FromHexString(keyId).CopyTo(header, 8);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(16), chunkSize);
        salt.CopyTo(header, 20);
        return header;
    }

    public static byte[] DeriveArtifactKey(byte[] masterKey, ReadOnlySpan<byte> salt) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, salt.ToArray(), Encoding.ASCII.GetBytes("atlas-backup-artifact"));

    public static void Nonce(Span<byte> nonce, long counter)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], counter);
    }

    public static byte[] AssociatedData(byte[] header, long counter, bool final)
    {
        var data = new byte[header.Length + 9];
        header.CopyTo(data, 0);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(header.Length), counter);
        data[^1] = final ? (byte)1 : (byte)0;
        return data;
    }
}
