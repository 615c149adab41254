using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Atlas.Backup.Tests.Support;
using Atlas.Testing.Sandbox;

namespace Atlas.Backup.Tests;

/// <summary>The S3 path, through the Sandbox's S3 stand-in (signature v4 checked on every request).</summary>
public sealed class S3Storage : IAsyncLifetime
{
    private const string AccessKey = "sandbox-access-key";
    private const string SecretKey = "sandbox-secret-key";
    private SandboxHost? _sandbox;

    private SandboxHost Sandbox => _sandbox!;

    public async Task InitializeAsync() => _sandbox = await SandboxHost.StartAsync();

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();

    [Fact]
    public async Task A_database_backed_up_to_s3_is_verified_and_restored_from_there_and_retention_deletes_objects()
    {
        using var s3 = Client(SecretKey);
        await s3.PutBucketAsync("atlas-backups");
        await using var world = await BackupWorld.StartAsync("s3path", new Dictionary<string, string?>
        {
            ["Backup:Storage:Kind"] = "s3",
            ["Backup:Storage:S3:ServiceUrl"] = Sandbox.BaseUrl.ToString(),
            ["Backup:Storage:S3:Bucket"] = "atlas-backups",
            ["Backup:Storage:S3:AccessKey"] = AccessKey,
            ["Backup:Storage:S3:SecretKey"] = SecretKey,
            ["Backup:Schedules:Targets:gatewaydb:KeepLast"] = "1",
        });
        await world.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 5000) g;");

        var first = await world.BackUpAsync("gatewaydb");
        await world.ExecuteAsync("DELETE FROM t WHERE id > 100");
        using var restore = await world.Client.PostAsJsonAsync(
            new Uri($"/backups/{first.GetProperty("id").GetGuid()}/restore", UriKind.Relative), new { into = "source", confirm = true });
        var second = await world.BackUpAsync("gatewaydb");
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "atlas-backups", Prefix = "atlas-backups/gatewaydb/" });

        first.GetProperty("location").GetString().Should().StartWith("s3://atlas-backups/atlas-backups/gatewaydb/");
        first.GetProperty("verificationStatus").GetString().Should().Be("passed", first.GetProperty("verificationDetail").GetString());
        restore.StatusCode.Should().Be(HttpStatusCode.OK, await restore.Content.ReadAsStringAsync());
        (await world.ScalarAsync<long>("SELECT count(*) FROM t")).Should().Be(5000);
        listed.S3Objects.Select(o => o.Key).Should().HaveCount(2, "retention (keep last 1) leaves the newest backup, as artifact and manifest")
            .And.OnlyContain(k => k.Contains(second.GetProperty("id").GetGuid().ToString("N"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Multipart_upload_get_head_list_and_delete_round_trip()
    {
        using var s3 = Client(SecretKey);
        await s3.PutBucketAsync("parts");
        var data = RandomNumberGenerator.GetBytes(11 << 20);
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, data);
        using var transfer = new TransferUtility(s3, new TransferUtilityConfig { MinSizeBeforePartUpload = 5 << 20 });

        await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = "parts", Key = "big/object.bin", FilePath = file, PartSize = 5 << 20 });
        var head = await s3.GetObjectMetadataAsync("parts", "big/object.bin");
        using var get = await s3.GetObjectAsync("parts", "big/object.bin");
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "parts", Prefix = "big/" });
        await s3.DeleteObjectAsync("parts", "big/object.bin");
        var missing = async () => await s3.GetObjectMetadataAsync("parts", "big/object.bin");
        File.Delete(file);

        head.ContentLength.Should().Be(data.Length);
        head.ETag.Should().EndWith("-3\"", "a three-part upload's ETag names its part count");
        copy.ToArray().Should().Equal(data);
        list.S3Objects.Should().ContainSingle(o => o.Key == "big/object.bin" && o.Size == data.Length);
        (await missing.Should().ThrowAsync<AmazonS3Exception>()).Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_secret_is_refused_with_SignatureDoesNotMatch()
    {
        using var good = Client(SecretKey);
        await good.PutBucketAsync("signed");
        using var forged = Client("not-the-secret");

        var put = async () => await forged.PutObjectAsync(new PutObjectRequest { BucketName = "signed", Key = "x", ContentBody = "data" });

        var refusal = (await put.Should().ThrowAsync<AmazonS3Exception>()).Which;
        refusal.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        refusal.ErrorCode.Should().Be("SignatureDoesNotMatch");
        (await good.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "signed" })).KeyCount.Should().Be(0);
    }

    private AmazonS3Client Client(string secret) => new(new BasicAWSCredentials(AccessKey, secret), new AmazonS3Config
    {
        ServiceURL = Sandbox.BaseUrl.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });
}
