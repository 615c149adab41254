using System.Net.Http.Json;
using Atlas.Backup.Tests.Support;
using Atlas.Testing;
using Npgsql;

namespace Atlas.Backup.Tests;

/// <summary>A backup taken while transactions keep committing restores to one consistent moment.</summary>
public sealed class ConcurrentWrites
{
    [Fact]
    public async Task A_backup_under_concurrent_transfers_restores_with_balances_matching_the_transfer_log()
    {
        await using var world = await BackupWorld.StartAsync("concurrent");
        await world.ExecuteAsync("""
            CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL);
            INSERT INTO accounts SELECT g, 1000 FROM generate_series(1, 50) g;
            CREATE TABLE transfers (id bigserial PRIMARY KEY, from_id int NOT NULL, to_id int NOT NULL, amount bigint NOT NULL, note text);
            """);
        using var stop = new CancellationTokenSource();
        var committed = 0;
        var writer = Task.Run(async () =>
        {
            var random = new Random(7);
            await using var connection = new NpgsqlConnection(world.Source);
            await connection.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                var from = random.Next(1, 51);
                var (to, amount) = (from % 50 + 1, random.Next(1, 20));
                await using var transaction = await connection.BeginTransactionAsync();
                await using var command = new NpgsqlCommand("""
                    WITH debit AS (UPDATE accounts SET balance = balance - $3 WHERE id = $1),
                         credit AS (UPDATE accounts SET balance = balance + $3 WHERE id = $2)
                    INSERT INTO transfers (from_id, to_id, amount, note) VALUES ($1, $2, $3, repeat('x', 200))
                    """, connection, transaction);
                command.Parameters.AddWithValue(from);
                command.Parameters.AddWithValue(to);
                command.Parameters.AddWithValue((long)amount);
                await command.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                Interlocked.Increment(ref committed);
            }
        });
        await Eventually.PollAsync(() => Task.FromResult(Volatile.Read(ref committed)), c => c > 200 || writer.IsCompleted);
        writer.IsFaulted.Should().BeFalse(writer.Exception?.ToString());

        var backup = await world.BackUpAsync("gatewaydb");
        var atBackupEnd = Volatile.Read(ref committed);
        await Eventually.PollAsync(() => Task.FromResult(Volatile.Read(ref committed)), c => c > atBackupEnd + 50);
        await stop.CancelAsync();
        await writer;

        var into = "concurrent_" + Guid.NewGuid().ToString("N")[..12];
        using var response = await world.Client.PostAsJsonAsync(
            new Uri($"/backups/{backup.GetProperty("id").GetGuid()}/restore", UriKind.Relative), new { into, confirm = true });
        response.EnsureSuccessStatusCode();
        var restored = world.Database(into);

        backup.GetProperty("verificationStatus").GetString().Should().Be("passed", backup.GetProperty("verificationDetail").GetString());
        var transfersInBackup = backup.GetProperty("manifest").GetProperty("tables").EnumerateArray()
            .Single(t => t.GetProperty("table").GetString() == "transfers").GetProperty("rows").GetInt64();
        (await world.ScalarAsync<long>("SELECT count(*) FROM transfers", restored)).Should().Be(transfersInBackup).And.BeGreaterThan(200);
        (await world.ScalarAsync<long>("SELECT count(*) FROM transfers")).Should().BeGreaterThan(transfersInBackup, "writes went on after the snapshot");
        (await world.ScalarAsync<decimal>("SELECT sum(balance) FROM accounts", restored)).Should().Be(50_000);
        (await world.ScalarAsync<long>("""
            SELECT count(*) FROM accounts a
            WHERE a.balance <> 1000 + coalesce((SELECT sum(amount) FROM transfers WHERE to_id = a.id), 0)
                                    - coalesce((SELECT sum(amount) FROM transfers WHERE from_id = a.id), 0)
            """, restored)).Should().Be(0, "every balance in the restore matches the transfers in the restore");
        await world.ExecuteAsync($"DROP DATABASE {into} WITH (FORCE)");
    }
}
