using System.Collections.Concurrent;

namespace Atlas.Sandbox.S3;

/// <summary>Buckets, objects and multipart uploads, in memory.</summary>
public sealed class S3Store(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, S3Object>> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MultipartUpload> _uploads = new(StringComparer.Ordinal);

    public bool CreateBucket(string bucket) => _buckets.TryAdd(bucket, new ConcurrentDictionary<string, S3Object>(StringComparer.Ordinal));

    public bool TryGetBucket(string bucket, out ConcurrentDictionary<string, S3Object> objects) => _buckets.TryGetValue(bucket, out objects!);

    public S3Object Put(ConcurrentDictionary<string, S3Object> bucket, string key, byte[] data, string contentType, string? etag = null)
    {
        var stored = new S3Object(key, data, etag ?? S3Api.Md5(data), contentType, time.GetUtcNow());
        bucket[key] = stored;
        return stored;
    }

    public MultipartUpload StartUpload(string bucket, string key, string contentType)
    {
        var upload = new MultipartUpload(Guid.NewGuid().ToString("N"), bucket, key, contentType);
        _uploads[upload.UploadId] = upload;
        return upload;
    }

    public bool TryGetUpload(string uploadId, string bucket, string key, out MultipartUpload upload) =>
        _uploads.TryGetValue(uploadId, out upload!) && upload.Bucket == bucket && upload.Key == key;

    public void EndUpload(string uploadId) => _uploads.TryRemove(uploadId, out _);
}

public sealed record S3Object(string Key, byte[] Data, string ETag, string ContentType, DateTimeOffset LastModified);

public sealed class MultipartUpload(string uploadId, string bucket, string key, string contentType)
{
    public string UploadId { get; } = uploadId;
    public string Bucket { get; } = bucket;
    public string Key { get; } = key;
    public string ContentType { get; } = contentType;
    public ConcurrentDictionary<int, (byte[] Data, string ETag)> Parts { get; } = new();
}
