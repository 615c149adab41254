using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Backup.Tests.Support;

namespace Atlas.Backup.Tests;

/// <summary>The backup ops API records every state-changing call in the service's ops audit log, exported as JSON Lines.</summary>
public sealed class OpsAuditTrail
{
    [Fact]
    public async Task A_backup_by_an_operator_and_a_refused_restore_are_in_the_exported_log_with_who_what_and_outcome()
    {
        await using var world = await BackupWorld.StartAsync("opsaudit");
        await world.ExecuteAsync("CREATE TABLE t (id int); INSERT INTO t VALUES (1);");
        using var operatorClient = BackupWorld.OpsClient(world.Factory);
        operatorClient.DefaultRequestHeaders.Add("X-Atlas-Operator", "alice");
        operatorClient.DefaultRequestHeaders.Add("X-Atlas-Source", "cli");
        await world.BackUpAsync("gatewaydb", operatorClient);
        using var anonymous = world.Factory.CreateClient();
        using var refused = await anonymous.PostAsJsonAsync(new Uri($"/backups/{Guid.NewGuid()}/restore", UriKind.Relative), new { into = "x" });
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var list = await world.Client.GetAsync(new Uri("/backups", UriKind.Relative));

        using var export = await world.Client.GetAsync(new Uri("/ops/audit", UriKind.Relative));

        export.StatusCode.Should().Be(HttpStatusCode.OK);
        export.Content.Headers.ContentType!.MediaType.Should().Be("application/x-ndjson");
        var rows = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        rows.Should().HaveCount(2, "the list is a read, and reads are not recorded");
        Row(rows[0]).Should().Be(("backup", "alice", "cli", "POST /backups/", "succeeded", 201));
        Row(rows[1]).Should().Be(("backup", "unknown", "api", "POST /backups/{id}/restore", "refused", 401));
        string.Join('\n', rows.Select(r => r.GetRawText())).Should().NotContain(BackupWorld.OpsKey);
    }

    private static (string, string, string, string, string, int) Row(JsonElement row) =>
        (row.GetProperty("service").GetString()!, row.GetProperty("actor").GetString()!, row.GetProperty("source").GetString()!,
         row.GetProperty("action").GetString()!, row.GetProperty("outcome").GetString()!, row.GetProperty("status").GetInt32());
}
