namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// The bus MessageId of an update's <c>TelegramUpdateReceived</c>: the same update_id always gives the same id, so a
/// second delivery of an update (Telegram retrying, a poller refetching a batch) is recognisable on the bus too.
/// An RFC 9562 version 8 UUID: a fixed tag, then the update_id's low 56 bits.
/// </summary>
internal static class UpdateMessageId
{
    public static Guid For(long updateId)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes[0] = 0x74; // "tgup": Telegram update
        bytes[1] = 0x67;
        bytes[2] = 0x75;
        bytes[3] = 0x70;
        bytes[4] = 0x00;
        bytes[5] = 0x00;
        bytes[6] = 0x80; // version 8
        bytes[7] = 0x00;
        bytes[8] = 0x80; // variant 10
        for (var i = 15; i >= 9; i--)
        {
            bytes[i] = (byte)updateId;
            updateId >>= 8;
        }

        return new Guid(bytes, bigEndian: true);
    }
}
