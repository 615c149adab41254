using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Backup.Tests.Support;

namespace Atlas.Backup.Tests;

/// <summary>A damaged artifact is caught by its checksum before anything is restored from it.</summary>
public sealed class ArtifactIntegrity
{
    [Fact]
    public async Task A_flipped_byte_fails_verification_and_refuses_the_restore_without_touching_the_source()
    {
        await using var world = await BackupWorld.StartAsync("corrupt");
        await world.ExecuteAsync("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000);");
        var backup = await world.BackUpAsync("gatewaydb");
        var id = backup.GetProperty("id").GetGuid();
        var file = Path.Combine(world.StoragePath, backup.GetProperty("artifactName").GetString()!);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(file, bytes);
        await world.ExecuteAsync("DELETE FROM t WHERE id > 10");

        using var verification = await world.Client.PostAsync(new Uri($"/backups/{id}/verification", UriKind.Relative), null);
        var verified = JsonDocument.Parse(await verification.Content.ReadAsStringAsync()).RootElement;
        using var restore = await world.Client.PostAsJsonAsync(new Uri($"/backups/{id}/restore", UriKind.Relative), new { into = "source", confirm = true });
        var problem = JsonDocument.Parse(await restore.Content.ReadAsStringAsync()).RootElement;

        verified.GetProperty("verificationStatus").GetString().Should().Be("failed");
        verified.GetProperty("verificationDetail").GetString().Should().Contain("SHA-256");
        restore.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("detail").GetString().Should().Contain("corrupt").And.Contain("Nothing was restored");
        (await world.ScalarAsync<long>("SELECT count(*) FROM t")).Should().Be(10, "nothing was restored from a corrupt artifact");
        using var list = await world.Client.GetAsync(new Uri("/backups?target=gatewaydb", UriKind.Relative));
        JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetArrayLength().Should().Be(1, "no emergency backup is taken for a restore that cannot start");
    }
}
