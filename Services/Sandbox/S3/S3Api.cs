using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace Atlas.Sandbox.S3;

/// <summary>
/// An S3-compatible subset, path-style (<c>/bucket/key</c>): create bucket, PUT/GET/HEAD/DELETE object,
/// ListObjectsV2 and multipart upload, every request checked with signature v4. Requests reach it when they carry
/// an AWS4 Authorization header, so it shares the Sandbox's port without clashing with the other stand-ins.
/// </summary>
public static class S3Api
{
    private static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    public static IApplicationBuilder MapS3Api(this IApplicationBuilder app) =>
        app.MapWhen(c => c.Request.Headers.Authorization.ToString().StartsWith(SigV4Verifier.Scheme, StringComparison.Ordinal),
            branch => branch.Run(HandleAsync));

    private static async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var services = context.RequestServices;
        if (services.GetRequiredService<SigV4Verifier>().Check(request, body) is { } refusal)
        {
            await ErrorAsync(context, refusal.Code == "InvalidAccessKeyId" || refusal.Code == "SignatureDoesNotMatch" || refusal.Code == "AccessDenied" ? 403 : 400,
                refusal.Code, refusal.Message).ConfigureAwait(false);
            return;
        }

        if (request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal))
        {
            body = SigV4Verifier.DecodeChunked(body);
        }

        var store = services.GetRequiredService<S3Store>();
        var path = (request.Path.Value ?? "/").TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var key = slash < 0 ? "" : Uri.UnescapeDataString(path[(slash + 1)..]);
        if (key.Length == 0)
        {
            await BucketAsync(context, store, bucket).ConfigureAwait(false);
        }
        else if (!store.TryGetBucket(bucket, out _))
        {
            await ErrorAsync(context, 404, "NoSuchBucket", "The specified bucket does not exist.").ConfigureAwait(false);
        }
        else
        {
            await S3ObjectHandlers.HandleAsync(context, store, bucket, key, body).ConfigureAwait(false);
        }
    }

    private static async Task BucketAsync(HttpContext context, S3Store store, string bucket)
    {
        var request = context.Request;
        if (HttpMethods.IsPut(request.Method))
        {
            if (!store.CreateBucket(bucket))
            {
                await ErrorAsync(context, 409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.").ConfigureAwait(false);
            }

            return;
        }

        if (!store.TryGetBucket(bucket, out var objects))
        {
            await ErrorAsync(context, 404, "NoSuchBucket", "The specified bucket does not exist.").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(request.Method) || request.Query["list-type"] != "2")
        {
            await ErrorAsync(context, 501, "NotImplemented", "Only ListObjectsV2 (list-type=2) is implemented on buckets.").ConfigureAwait(false);
            return;
        }

        var prefix = request.Query["prefix"].ToString();
        var maxKeys = int.TryParse(request.Query["max-keys"], CultureInfo.InvariantCulture, out var max) ? Math.Clamp(max, 1, 1000) : 1000;
        var after = request.Query["continuation-token"].ToString() is { Length: > 0 } token ? token : request.Query["start-after"].ToString();
        var matching = objects.Values.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(o.Key, after) > 0)
            .OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        var page = matching.Take(maxKeys).ToList();
        var truncated = matching.Count > page.Count;
        var result = new XElement(Ns + "ListBucketResult",
            new XElement(Ns + "Name", bucket),
            new XElement(Ns + "Prefix", prefix),
            new XElement(Ns + "KeyCount", page.Count),
            new XElement(Ns + "MaxKeys", maxKeys),
            new XElement(Ns + "IsTruncated", truncated ? "true" : "false"),
            truncated ? new XElement(Ns + "NextContinuationToken", page[^1].Key) : null,
            page.Select(o => new XElement(Ns + "Contents",
                new XElement(Ns + "Key", o.Key),
                new XElement(Ns + "LastModified", o.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement(Ns + "ETag", $"\"{o.ETag}\""),
                new XElement(Ns + "Size", o.Data.Length),
                new XElement(Ns + "StorageClass", "STANDARD"))));
        await XmlAsync(context, 200, result).ConfigureAwait(false);
    }

    internal static Task XmlAsync(HttpContext context, int status, XElement element)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        return context.Response.WriteAsync(new XDocument(new XDeclaration("1.0", "UTF-8", null), element).Declaration + element.ToString(SaveOptions.DisableFormatting));
    }

    internal static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        return XmlAsync(context, status, new XElement("Error",
            new XElement("Code", code), new XElement("Message", message), new XElement("RequestId", Guid.NewGuid().ToString("N"))));
    }

    // S3 ETags are MD5 digests by definition; no security rests on them.
#pragma warning disable CA5351
    internal static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));
#pragma warning restore CA5351

    internal static XNamespace Namespace => Ns;
}
