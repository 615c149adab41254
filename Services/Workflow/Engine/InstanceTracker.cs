using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Atlas.Workflow.Engine;

/// <summary>The process instances Atlas started (<c>tracked_instances</c>), for <c>luka_workflow_active_total</c> and operators.</summary>
internal sealed class InstanceTracker(NpgsqlDataSource dataSource)
{
    public async Task TrackAsync(EngineOperation operation, JsonObject result, CancellationToken cancellationToken)
    {
        if (!long.TryParse(result["processInstanceKey"]?.ToString(), out var key))
        {
            return;
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO tracked_instances (process_instance_key, process_definition_id, business_key, chat_id)
            VALUES ($1, $2, $3, $4) ON CONFLICT (process_instance_key) DO NOTHING
            """);
        command.Parameters.AddWithValue(key);
        command.Parameters.AddWithValue(operation.Payload["processDefinitionId"]?.ToString() ?? "");
        command.Parameters.AddWithValue(operation.Id);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)operation.ChatId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkAsync(long processInstanceKey, string state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE tracked_instances SET state = $2, updated_at = $3 WHERE process_instance_key = $1");
        command.Parameters.AddWithValue(processInstanceKey);
        command.Parameters.AddWithValue(state);
        command.Parameters.AddWithValue(now);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<long>> ActiveAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT process_instance_key FROM tracked_instances WHERE state = 'active' ORDER BY updated_at LIMIT $1");
        command.Parameters.AddWithValue(limit);
        var keys = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(reader.GetInt64(0));
        }

        return keys;
    }

    public async Task<long> CountActiveAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM tracked_instances WHERE state = 'active'");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
