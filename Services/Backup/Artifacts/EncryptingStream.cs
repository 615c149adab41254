using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Atlas.Backup.Artifacts;

/// <summary>Write-only stream that seals what it is given into AES-256-GCM chunks (see <see cref="ArtifactFormat"/>).</summary>
public sealed class EncryptingStream : Stream
{
    private readonly Stream _inner;
    private readonly AesGcm _aes;
    private readonly byte[] _header;
    private readonly byte[] _plain;
    private readonly byte[] _cipher;
    private int _filled;
    private long _counter;
    private bool _headerWritten;
    private bool _finished;

    public EncryptingStream(Stream inner, byte[] masterKey, string keyId, int chunkSize = ArtifactFormat.DefaultChunkSize)
    {
        _inner = inner;
        var salt = RandomNumberGenerator.GetBytes(ArtifactFormat.SaltSize);
        _header = ArtifactFormat.WriteHeader(keyId, chunkSize, salt);
        _aes = new AesGcm(ArtifactFormat.DeriveArtifactKey(masterKey, salt), ArtifactFormat.TagSize);
        _plain = new byte[chunkSize];
        _cipher = new byte[ArtifactFormat.ChunkPrefixSize + chunkSize + ArtifactFormat.TagSize];
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _plain.Length - _filled);
            buffer[..take].CopyTo(_plain.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == _plain.Length)
            {
                var sealedLength = Seal(final: false);
                _inner.Write(_cipher, 0, sealedLength);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _plain.Length - _filled);
            buffer[..take].CopyTo(_plain.AsMemory(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == _plain.Length)
            {
                var sealedLength = Seal(final: false);
                await _inner.WriteAsync(_cipher.AsMemory(0, sealedLength), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Seals the last chunk; the artifact is incomplete (and unreadable) without it.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return;
        }

        var sealedLength = Seal(final: true);
        await _inner.WriteAsync(_cipher.AsMemory(0, sealedLength), cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        _finished = true;
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Seal(bool final)
    {
        if (!_headerWritten)
        {
            // The header goes out with the first chunk so that a single write carries both.
            _inner.Write(_header);
            _headerWritten = true;
        }

        Span<byte> nonce = stackalloc byte[ArtifactFormat.NonceSize];
        ArtifactFormat.Nonce(nonce, _counter);
        _cipher[0] = final ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(_cipher.AsSpan(1), _filled);
        var cipherText = _cipher.AsSpan(ArtifactFormat.ChunkPrefixSize, _filled);
        var tag = _cipher.AsSpan(ArtifactFormat.ChunkPrefixSize + _filled, ArtifactFormat.TagSize);
        _aes.Encrypt(nonce, _plain.AsSpan(0, _filled), cipherText, tag, ArtifactFormat.AssociatedData(_header, _counter, final));
        _counter++;
        var length = ArtifactFormat.ChunkPrefixSize + _filled + ArtifactFormat.TagSize;
        _filled = 0;
        return length;
    }
}
