using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Atlas.Backup.Options;
using Microsoft.Extensions.Options;

namespace Atlas.Backup.Storage;

/// <summary>Backups in an S3 or S3-compatible bucket; large artifacts go up as multipart uploads.</summary>
internal sealed class S3Storage : IBackupStorage, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly StorageOptions _options;

    public S3Storage(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var s3 = _options.S3;
        var config = new AmazonS3Config
        {
            AuthenticationRegion = s3.Region,
            // Whole-body SHA-256 signing, no aws-chunked trailers: what every S3-compatible server understands.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(s3.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(s3.Region);
        }
        else
        {
            config.ServiceURL = s3.ServiceUrl;
            config.ForcePathStyle = true;
        }

        _client = new AmazonS3Client(new BasicAWSCredentials(s3.AccessKey, s3.SecretKey), config);
    }

    public string Kind => "s3";

    public async Task<string> PutFileAsync(string name, string localFile, CancellationToken cancellationToken)
    {
        using var transfer = new TransferUtility(_client, new TransferUtilityConfig { MinSizeBeforePartUpload = _options.S3.MultipartThresholdBytes });
        await transfer.UploadAsync(new TransferUtilityUploadRequest
        {
            BucketName = _options.S3.Bucket,
            Key = Key(name),
            FilePath = localFile,
            PartSize = Math.Max(5L << 20, _options.S3.MultipartThresholdBytes),
        }, cancellationToken).ConfigureAwait(false);
        File.Delete(localFile);
        return $"s3://{_options.S3.Bucket}/{Key(name)}";
    }

    public async Task PutTextAsync(string name, string text, CancellationToken cancellationToken) =>
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _options.S3.Bucket,
            Key = Key(name),
            ContentBody = text,
            ContentType = "application/json",
        }, cancellationToken).ConfigureAwait(false);

    public async Task<LocalCopy> FetchAsync(string name, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.StagingPath);
        var path = Path.Combine(_options.StagingPath, $"{Guid.NewGuid():N}.download");
        using var response = await _client.GetObjectAsync(_options.S3.Bucket, Key(name), cancellationToken).ConfigureAwait(false);
        await using (var file = File.Create(path))
        {
            await response.ResponseStream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        return new LocalCopy(path, temporary: true);
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await _client.DeleteObjectAsync(_options.S3.Bucket, Key(name), cancellationToken).ConfigureAwait(false);

    public void Dispose() => _client.Dispose();

    private string Key(string name) => _options.S3.Prefix + name;
}
