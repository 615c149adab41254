using System.Buffers;

namespace Atlas.Gateway.Telegram.Webhook;

/// <summary>A webhook body read into a pooled buffer, capped at a size; dispose returns the buffer.</summary>
internal readonly struct WebhookBody : IDisposable
{
    private readonly byte[]? _buffer;

    private WebhookBody(byte[]? buffer, int length, bool tooLarge)
    {
        _buffer = buffer;
        Length = length;
        TooLarge = tooLarge;
    }

    public int Length { get; }

    /// <summary>The body was longer than allowed; nothing past the cap was read.</summary>
    public bool TooLarge { get; }

    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(0, Length);

    /// <summary>Reads at most <paramref name="maxBytes"/>; stops as soon as the body proves longer.</summary>
    public static async Task<WebhookBody> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var initial = request.ContentLength is { } declared and > 0 ? (int)Math.Min(declared + 1, maxBytes + 1L) : Math.Min(16 * 1024, maxBytes + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        break;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    break;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (length > maxBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return new WebhookBody(null, 0, tooLarge: true);
        }

        return new WebhookBody(buffer, length, tooLarge: false);
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
