using System.IO.Compression;
using System.Security.Cryptography;

namespace Atlas.Backup.Artifacts;

/// <summary>Checks an artifact file's SHA-256 and opens its payload (decrypt, then decompress).</summary>
public static class ArtifactReader
{
    /// <summary>Throws <see cref="BackupArtifactException"/> unless the file hashes to <paramref name="expectedSha256"/>.</summary>
    public static async Task VerifyChecksumAsync(string path, string expectedSha256, CancellationToken cancellationToken)
    {
        await using var file = OpenFile(path);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupArtifactException(
                $"The artifact is corrupt: its SHA-256 is {actual} but the manifest records {expectedSha256}. Nothing was restored from it.");
        }
    }

    /// <summary>The payload as written; reading it throws <see cref="BackupArtifactException"/> on a wrong key or damage.</summary>
    public static Stream OpenPayload(string path, EncryptionKeys keys) =>
        new GZipStream(new DecryptingStream(OpenFile(path), keys), CompressionMode.Decompress, leaveOpen: false);

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
}
