using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Atlas.Backup.Artifacts;

/// <summary>Read-only stream that opens an artifact written by <see cref="EncryptingStream"/>, chunk by chunk.</summary>
public sealed class DecryptingStream(Stream inner, EncryptionKeys keys) : Stream
{
    private byte[]? _header;
    private AesGcm? _aes;
    private byte[] _plain = [];
    private byte[] _cipher = [];
    private int _available;
    private int _position;
    private long _counter;
    private bool _finalSeen;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Reads just the header and returns the id of the key that sealed the artifact.</summary>
    public static async Task<string> ReadKeyIdAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[ArtifactFormat.HeaderSize];
        await ReadExactAsync(stream, header, cancellationToken).ConfigureAwait(false);
        return ParseHeader(header).KeyId;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_position == _available)
        {
            if (_finalSeen)
            {
                return 0;
            }

            await ReadChunkAsync(cancellationToken).ConfigureAwait(false);
        }

        var take = Math.Min(buffer.Length, _available - _position);
        _plain.AsMemory(_position, take).CopyTo(buffer);
        _position += take;
        return take;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes?.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task ReadChunkAsync(CancellationToken cancellationToken)
    {
        if (_header is null)
        {
            await OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        var prefix = new byte[ArtifactFormat.ChunkPrefixSize];
        await ReadExactAsync(inner, prefix, cancellationToken).ConfigureAwait(false);
        var final = prefix[0] == 1;
        var length = BinaryPrimitives.ReadInt32BigEndian(prefix.AsSpan(1));
        if (prefix[0] > 1 || length < 0 || length > _plain.Length)
        {
            throw new BackupArtifactException($"The artifact is corrupt: chunk {_counter} has an impossible header.");
        }

        var body = _cipher.AsMemory(0, length + ArtifactFormat.TagSize);
        await ReadExactAsync(inner, body, cancellationToken).ConfigureAwait(false);
        var nonce = new byte[ArtifactFormat.NonceSize];
        ArtifactFormat.Nonce(nonce, _counter);
        try
        {
            _aes!.Decrypt(nonce, _cipher.AsSpan(0, length), _cipher.AsSpan(length, ArtifactFormat.TagSize), _plain.AsSpan(0, length),
                ArtifactFormat.AssociatedData(_header!, _counter, final));
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new BackupArtifactException($"The artifact is corrupt or was altered: chunk {_counter} fails authentication.", exception);
        }

        _counter++;
        _available = length;
        _position = 0;
        _finalSeen = final;
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        var header = new byte[ArtifactFormat.HeaderSize];
        await ReadExactAsync(inner, header, cancellationToken).ConfigureAwait(false);
        var (keyId, chunkSize, salt) = ParseHeader(header);
        if (!keys.TryFind(keyId, out var key))
        {
            throw new BackupArtifactException(
                $"The artifact was encrypted with key id {keyId}, which is neither Backup:EncryptionKey (id {keys.CurrentId}) nor one of Backup:RetiredKeys. " +
                "Add the key it was written with to Backup:RetiredKeys to read it.");
        }

        _aes = new AesGcm(ArtifactFormat.DeriveArtifactKey(key, salt), ArtifactFormat.TagSize);
        _plain = new byte[chunkSize];
        _cipher = new byte[chunkSize + ArtifactFormat.TagSize];
        _header = header;
    }

    private static (string KeyId, int ChunkSize, byte[] Salt) ParseHeader(byte[] header)
    {
        if (!header.AsSpan(0, 8).SequenceEqual(ArtifactFormat.Magic))
        {
            throw new BackupArtifactException("The file is not an Atlas backup artifact (wrong magic bytes).");
        }

        var chunkSize = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(16));
        if (chunkSize is <= 0 or > 64 << 20)
        {
            throw new BackupArtifactException("The artifact is corrupt: its header names an impossible chunk size.");
        }

        return (Convert.ToHexStringLower(header.AsSpan(8, 8)), chunkSize, header[20..]);
    }

    private static async Task ReadExactAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException exception)
        {
            throw new BackupArtifactException("The artifact is truncated: it ends before its last chunk.", exception);
        }
    }
}
