using System.Text.Json;
using Atlas.Moderation.Storage;
using Npgsql;

namespace Atlas.Moderation.Settings;

/// <summary>
/// Per-chat settings in <c>chat_rules</c> and the ops-wide strictness in <c>ops_settings</c>. Reads and writes take
/// an optional transaction, so an admin command changes settings in the same transaction that records it.
/// </summary>
public sealed class ChatSettingsStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string GlobalStrict = "strict";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ChatSettings> GetAsync(long chatId, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var scope = await DbScope.OpenAsync(dataSource, transaction, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command("SELECT rules::text FROM chat_rules WHERE chat_id = $1", chatId);
        var json = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        return json is null ? new ChatSettings() : JsonSerializer.Deserialize<ChatSettings>(json, Json) ?? new ChatSettings();
    }

    /// <summary>Reads the settings and locks the chat's row until <paramref name="transaction"/> ends, so two changes in a row do not lose one.</summary>
    public async Task<ChatSettings> GetForUpdateAsync(long chatId, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var scope = await DbScope.OpenAsync(dataSource, transaction, cancellationToken).ConfigureAwait(false);
        await using (var ensure = scope.Command("INSERT INTO chat_rules (chat_id) VALUES ($1) ON CONFLICT DO NOTHING", chatId))
        {
            await ensure.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = scope.Command("SELECT rules::text FROM chat_rules WHERE chat_id = $1 FOR UPDATE", chatId);
        var json = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        return json is null ? new ChatSettings() : JsonSerializer.Deserialize<ChatSettings>(json, Json) ?? new ChatSettings();
    }

    public async Task SaveAsync(long chatId, ChatSettings settings, long? updatedBy, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var scope = await DbScope.OpenAsync(dataSource, transaction, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command(
            """
            INSERT INTO chat_rules (chat_id, rules, updated_by, updated_at) VALUES ($1, $2::jsonb, $3, $4)
            ON CONFLICT (chat_id) DO UPDATE SET rules = EXCLUDED.rules, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
            """,
            chatId, JsonSerializer.Serialize(settings, Json), (object?)updatedBy ?? DBNull.Value, time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether ops switched every chat to strict (the runbook's "temporarily increase moderation strictness").</summary>
    public async Task<bool> GetGlobalStrictAsync(CancellationToken cancellationToken)
    {
        await using var scope = await DbScope.OpenAsync(dataSource, null, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command("SELECT value FROM ops_settings WHERE name = $1", GlobalStrict);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string == "on";
    }

    public async Task SetGlobalStrictAsync(bool strict, CancellationToken cancellationToken)
    {
        await using var scope = await DbScope.OpenAsync(dataSource, null, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command(
            """
            INSERT INTO ops_settings (name, value, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
            """,
            GlobalStrict, strict ? "on" : "off", time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
