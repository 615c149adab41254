using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Atlas.Backup.Artifacts;
using Atlas.Backup.Tests.Support;

namespace Atlas.Backup.Tests;

/// <summary>Artifacts are compressed and sealed in AES-256-GCM chunks; only the right key (current or retired) opens them.</summary>
public sealed class Encryption : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atlas-backup-crypto-").FullName;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData((1 << 20) - 1)]
    [InlineData((3 << 20) + 17)]
    public async Task What_is_written_reads_back_byte_for_byte(int size)
    {
        var keys = new EncryptionKeys(BackupWorld.NewKey(), []);
        var payload = RandomNumberGenerator.GetBytes(size);
        var path = Path.Combine(_folder, "a.atlasbak");

        var facts = await WriteAsync(path, keys, payload);

        facts.RawBytes.Should().Be(size);
        facts.StoredBytes.Should().Be(new FileInfo(path).Length);
        await ArtifactReader.VerifyChecksumAsync(path, facts.Sha256, CancellationToken.None);
        (await ReadAsync(path, keys)).Should().Equal(payload);
    }

    [Fact]
    public async Task The_plaintext_does_not_appear_in_the_artifact_and_repetitive_data_shrinks()
    {
        var keys = new EncryptionKeys(BackupWorld.NewKey(), []);
        var payload = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("secret customer row;", 50_000)));
        var path = Path.Combine(_folder, "b.atlasbak");

        var facts = await WriteAsync(path, keys, payload);

        facts.StoredBytes.Should().BeLessThan(payload.Length / 10);
        System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(path)).Should().NotContain("secret customer row");
    }

    [Fact]
    public async Task A_wrong_key_is_refused_naming_the_key_id_and_a_retired_key_still_reads()
    {
        var oldKey = BackupWorld.NewKey();
        var path = Path.Combine(_folder, "c.atlasbak");
        var payload = RandomNumberGenerator.GetBytes(10_000);
        var old = new EncryptionKeys(oldKey, []);
        await WriteAsync(path, old, payload);

        var wrong = async () => await ReadAsync(path, new EncryptionKeys(BackupWorld.NewKey(), []));
        var rotated = new EncryptionKeys(BackupWorld.NewKey(), [oldKey]);

        (await wrong.Should().ThrowAsync<BackupArtifactException>()).WithMessage($"*key id {old.CurrentId}*Backup:RetiredKeys*");
        (await ReadAsync(path, rotated)).Should().Equal(payload);
    }

    [Fact]
    public async Task A_truncated_artifact_is_refused()
    {
        var keys = new EncryptionKeys(BackupWorld.NewKey(), []);
        var path = Path.Combine(_folder, "d.atlasbak");
        await WriteAsync(path, keys, RandomNumberGenerator.GetBytes(3 << 20));
        await using (var file = File.OpenWrite(path))
        {
            file.SetLength(file.Length - 100);
        }

        var read = async () => await ReadAsync(path, keys);

        await read.Should().ThrowAsync<BackupArtifactException>();
    }

    [Fact]
    public void A_key_that_is_not_32_bytes_of_base64_is_refused_with_the_setting_name()
    {
        var make = () => new EncryptionKeys(Convert.ToBase64String(new byte[16]), []);

        make.Should().Throw<InvalidOperationException>().WithMessage("Backup:EncryptionKey must be the base64 of exactly 32*");
    }

    [Fact]
    public async Task After_a_key_rotation_the_service_verifies_old_backups_only_with_the_old_key_retired()
    {
        await using var world = await BackupWorld.StartAsync("rotation");
        await world.ExecuteAsync("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 100);");
        var id = (await world.BackUpAsync("gatewaydb")).GetProperty("id").GetGuid();
        var newKey = BackupWorld.NewKey();

        await using var forgotten = world.Restart(new Dictionary<string, string?> { ["Backup:EncryptionKey"] = newKey });
        await using var retired = world.Restart(new Dictionary<string, string?> { ["Backup:EncryptionKey"] = newKey, ["Backup:RetiredKeys:0"] = world.Key });

        var withoutOldKey = await VerifyAsync(BackupWorld.OpsClient(forgotten), id);
        var withOldKeyRetired = await VerifyAsync(BackupWorld.OpsClient(retired), id);

        withoutOldKey.GetProperty("verificationStatus").GetString().Should().Be("failed");
        withoutOldKey.GetProperty("verificationDetail").GetString().Should().Contain("neither Backup:EncryptionKey");
        withOldKeyRetired.GetProperty("verificationStatus").GetString().Should().Be("passed");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<JsonElement> VerifyAsync(HttpClient client, Guid id)
    {
        using var response = await client.PostAsync(new Uri($"/backups/{id}/verification", UriKind.Relative), null);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    private static async Task<ArtifactFacts> WriteAsync(string path, EncryptionKeys keys, byte[] payload)
    {
        File.Delete(path);
        await using var writer = new ArtifactWriter(path, keys);
        for (var offset = 0; offset < payload.Length; offset += 70_000)
        {
            await writer.Payload.WriteAsync(payload.AsMemory(offset, Math.Min(70_000, payload.Length - offset)));
        }

        return await writer.CompleteAsync(CancellationToken.None);
    }

    private static async Task<byte[]> ReadAsync(string path, EncryptionKeys keys)
    {
        await using var payload = ArtifactReader.OpenPayload(path, keys);
        using var buffer = new MemoryStream();
        await payload.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
