using System.IO.Compression;

namespace Atlas.Backup.Artifacts;

/// <summary>
/// Writes one artifact file: payload -> gzip -> AES-256-GCM chunks -> file, counting and hashing on the way, so
/// nothing is held in memory whatever the size.
/// </summary>
public sealed class ArtifactWriter : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly MeteredStream _stored;
    private readonly EncryptingStream _encrypted;
    private readonly GZipStream _compressed;
    private readonly MeteredStream _raw;
    private bool _completed;

    public ArtifactWriter(string path, EncryptionKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        _stored = new MeteredStream(_file);
        _encrypted = new EncryptingStream(_stored, keys.Current, keys.CurrentId);
        _compressed = new GZipStream(_encrypted, CompressionLevel.Fastest, leaveOpen: true);
        _raw = new MeteredStream(_compressed);
        KeyId = keys.CurrentId;
    }

    public const string Compression = "gzip";

    /// <summary>Where the payload goes.</summary>
    public Stream Payload => _raw;

    public string KeyId { get; }

    public async Task<ArtifactFacts> CompleteAsync(CancellationToken cancellationToken)
    {
        await _raw.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _compressed.DisposeAsync().ConfigureAwait(false);
        await _encrypted.FinishAsync(cancellationToken).ConfigureAwait(false);
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
        return new ArtifactFacts(_raw.BytesWritten, _stored.BytesWritten, _stored.Sha256());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            await _compressed.DisposeAsync().ConfigureAwait(false);
        }

        await _raw.DisposeAsync().ConfigureAwait(false);
        await _encrypted.DisposeAsync().ConfigureAwait(false);
        await _stored.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Sizes before compression and as stored, and the SHA-256 of the stored bytes.</summary>
public sealed record ArtifactFacts(long RawBytes, long StoredBytes, string Sha256);
