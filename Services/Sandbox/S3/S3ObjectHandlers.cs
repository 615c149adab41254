using System.Globalization;
using System.Xml.Linq;

namespace Atlas.Sandbox.S3;

/// <summary>Object requests: PUT/GET/HEAD/DELETE and the multipart upload steps.</summary>
internal static class S3ObjectHandlers
{
    public static async Task HandleAsync(HttpContext context, S3Store store, string bucket, string key, byte[] body)
    {
        var request = context.Request;
        store.TryGetBucket(bucket, out var objects);
        var uploadId = request.Query["uploadId"].ToString();
        switch (request.Method)
        {
            case "POST" when request.Query.ContainsKey("uploads"):
                var started = store.StartUpload(bucket, key, request.ContentType ?? "application/octet-stream");
                await S3Api.XmlAsync(context, 200, new XElement(S3Api.Namespace + "InitiateMultipartUploadResult",
                    new XElement(S3Api.Namespace + "Bucket", bucket), new XElement(S3Api.Namespace + "Key", key),
                    new XElement(S3Api.Namespace + "UploadId", started.UploadId))).ConfigureAwait(false);
                return;
            case "PUT" when uploadId.Length > 0:
                if (!store.TryGetUpload(uploadId, bucket, key, out var upload) || !int.TryParse(request.Query["partNumber"], CultureInfo.InvariantCulture, out var part) || part is < 1 or > 10000)
                {
                    await S3Api.ErrorAsync(context, 404, "NoSuchUpload", "The specified multipart upload does not exist or the part number is invalid.").ConfigureAwait(false);
                    return;
                }

                var partTag = S3Api.Md5(body);
                upload.Parts[part] = (body, partTag);
                context.Response.Headers.ETag = $"\"{partTag}\"";
                return;
            case "POST" when uploadId.Length > 0:
                await CompleteAsync(context, store, objects!, bucket, key, uploadId, body).ConfigureAwait(false);
                return;
            case "DELETE" when uploadId.Length > 0:
                store.EndUpload(uploadId);
                context.Response.StatusCode = 204;
                return;
            case "PUT":
                var stored = store.Put(objects!, key, body, request.ContentType ?? "application/octet-stream");
                context.Response.Headers.ETag = $"\"{stored.ETag}\"";
                return;
            case "GET" or "HEAD":
                if (!objects!.TryGetValue(key, out var found))
                {
                    await S3Api.ErrorAsync(context, 404, "NoSuchKey", "The specified key does not exist.").ConfigureAwait(false);
                    return;
                }

                context.Response.Headers.ETag = $"\"{found.ETag}\"";
                context.Response.Headers.LastModified = found.LastModified.ToString("R", CultureInfo.InvariantCulture);
                context.Response.ContentType = found.ContentType;
                context.Response.ContentLength = found.Data.Length;
                if (HttpMethods.IsGet(request.Method))
                {
                    await context.Response.Body.WriteAsync(found.Data, context.RequestAborted).ConfigureAwait(false);
                }

                return;
            case "DELETE":
                objects!.TryRemove(key, out _);
                context.Response.StatusCode = 204;
                return;
            default:
                await S3Api.ErrorAsync(context, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.").ConfigureAwait(false);
                return;
        }
    }

    private static async Task CompleteAsync(HttpContext context, S3Store store, System.Collections.Concurrent.ConcurrentDictionary<string, S3Object> objects,
        string bucket, string key, string uploadId, byte[] body)
    {
        if (!store.TryGetUpload(uploadId, bucket, key, out var upload))
        {
            await S3Api.ErrorAsync(context, 404, "NoSuchUpload", "The specified multipart upload does not exist.").ConfigureAwait(false);
            return;
        }

        var listed = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)).Descendants().Where(e => e.Name.LocalName == "Part")
            .Select(p => (Number: int.Parse(p.Elements().First(e => e.Name.LocalName == "PartNumber").Value, CultureInfo.InvariantCulture),
                ETag: p.Elements().First(e => e.Name.LocalName == "ETag").Value.Trim('"')))
            .ToList();
        if (listed.Count == 0 || listed.Zip(listed.Skip(1)).Any(p => p.First.Number >= p.Second.Number)
            || listed.Any(p => !upload.Parts.TryGetValue(p.Number, out var held) || held.ETag != p.ETag))
        {
            await S3Api.ErrorAsync(context, 400, "InvalidPart", "One or more of the specified parts could not be found, or the list is not in ascending order.").ConfigureAwait(false);
            return;
        }

        var data = listed.SelectMany(p => upload.Parts[p.Number].Data).ToArray();
        var etag = S3Api.Md5(listed.SelectMany(p => Convert.FromHexString(p.ETag)).ToArray()) + "-" + listed.Count;
        store.Put(objects, key, data, upload.ContentType, etag);
        store.EndUpload(uploadId);
        await S3Api.XmlAsync(context, 200, new XElement(S3Api.Namespace + "CompleteMultipartUploadResult",
            new XElement(S3Api.Namespace + "Bucket", bucket), new XElement(S3Api.Namespace + "Key", key),
            new XElement(S3Api.Namespace + "ETag", $"\"{etag}\""))).ConfigureAwait(false);
    }
}
