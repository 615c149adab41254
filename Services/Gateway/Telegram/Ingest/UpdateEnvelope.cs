using System.Text.Json;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// What the webhook edge needs of an update, read in one forward pass of <see cref="Utf8JsonReader"/> over the pooled
/// body: the update_id, the kind (the first field beside update_id) and the chat id. The pass also proves the body is
/// well-formed JSON. Nothing is materialised; the full parse happens in the consumer, which logs and drops an update
/// whose known fields turn out to be ill-typed.
/// </summary>
internal readonly record struct UpdateEnvelope(long UpdateId, string Type, long? ChatId)
{
    // The kinds the gateway knows by name; anything else is counted as "other" so a sender cannot mint label values.
    private static readonly string[] KnownTypes =
    [
        "message", "edited_message", "channel_post", "edited_channel_post", "callback_query", "my_chat_member", "chat_member",
        "chat_join_request", "inline_query", "chosen_inline_result", "message_reaction", "message_reaction_count", "poll",
        "poll_answer", "pre_checkout_query", "shipping_query", "business_message", "edited_business_message",
    ];

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>The envelope, or null with a reason that is safe to show the sender (it echoes no input).</summary>
    public static UpdateEnvelope? TryRead(ReadOnlySpan<byte> utf8, out string? error)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        long? updateId = null;
        string? type = null;
        long? chatId = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "The body is not a JSON object, so it is not a Telegram update.";
                return null;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.ValueTextEquals("update_id"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var id) || id < 0)
                    {
                        error = "update_id must be a non-negative integer.";
                        return null;
                    }

                    updateId = id;
                    continue;
                }

                type ??= KindOf(ref reader);
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    chatId ??= FindChatId(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            // A trailing second document or garbage after the object is not an update either.
            if (reader.Read())
            {
                error = "The body holds more than one JSON value.";
                return null;
            }
        }
        catch (JsonException exception)
        {
            error = $"The body is not valid JSON (line {exception.LineNumber}, byte {exception.BytePositionInLine}).";
            return null;
        }

        if (updateId is not { } updateIdValue)
        {
            error = "The body lacks update_id, so it is not a Telegram update.";
            return null;
        }

        error = null;
        return new UpdateEnvelope(updateIdValue, type ?? "unknown", chatId);
    }

    private static string KindOf(ref Utf8JsonReader reader)
    {
        foreach (var known in KnownTypes)
        {
            if (reader.ValueTextEquals(known))
            {
                return known;
            }
        }

        return "other";
    }

    // Reader on the StartObject of the update's payload; leaves it on the matching EndObject. The chat is the payload's
    // own "chat" or, for a button press, its message's "chat".
    private static long? FindChatId(ref Utf8JsonReader reader)
    {
        long? chatId = null;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            var isChat = reader.ValueTextEquals("chat"u8);
            var isMessage = reader.ValueTextEquals("message"u8);
            reader.Read();
            if (isChat && reader.TokenType == JsonTokenType.StartObject && chatId is null)
            {
                chatId = ReadId(ref reader);
            }
            else if (isMessage && reader.TokenType == JsonTokenType.StartObject && chatId is null)
            {
                chatId = FindChatId(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return chatId;
    }

    // Reader on a chat's StartObject; leaves it on the matching EndObject.
    private static long? ReadId(ref Utf8JsonReader reader)
    {
        long? id = null;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : id;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        return id;
    }
}
