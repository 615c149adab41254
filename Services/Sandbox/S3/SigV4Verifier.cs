using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Atlas.Sandbox.S3;

/// <summary>
/// Checks AWS Signature Version 4 on a request (Authorization header form): the canonical request rebuilt from the
/// method, raw path, sorted query, signed headers and payload hash, signed with the key derived from the secret,
/// date, region and service. A hex <c>x-amz-content-sha256</c> must also match the body.
/// </summary>
public sealed partial class SigV4Verifier(IOptions<S3SandboxOptions> options)
{
    public const string Scheme = "AWS4-HMAC-SHA256";

    /// <summary>Null when the signature holds; otherwise the S3 error code and message.</summary>
    public (string Code, string Message)? Check(HttpRequest request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var match = AuthorizationHeader().Match(request.Headers.Authorization.ToString());
        if (!match.Success)
        {
            return ("AccessDenied", "Requests must be signed with AWS Signature Version 4 in the Authorization header.");
        }

        var (accessKey, date, region, service) = (match.Groups["key"].Value, match.Groups["date"].Value, match.Groups["region"].Value, match.Groups["service"].Value);
        if (accessKey != options.Value.AccessKey)
        {
            return ("InvalidAccessKeyId", "The AWS access key Id you provided does not exist in our records.");
        }

        var amzDate = request.Headers["x-amz-date"].ToString();
        var payloadHash = request.Headers["x-amz-content-sha256"].ToString();
        if (string.IsNullOrEmpty(amzDate) || string.IsNullOrEmpty(payloadHash))
        {
            return ("AccessDenied", "x-amz-date and x-amz-content-sha256 are required.");
        }

        // Streaming (aws-chunked) payloads: the seed signature below covers the headers; the chunk signatures are not re-checked.
        if (!payloadHash.StartsWith("STREAMING-", StringComparison.Ordinal) && payloadHash != "UNSIGNED-PAYLOAD" && !string.Equals(payloadHash, Convert.ToHexStringLower(SHA256.HashData(body)), StringComparison.OrdinalIgnoreCase))
        {
            return ("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var signedHeaders = match.Groups["headers"].Value;
        var canonical = string.Join('\n',
            request.Method,
            RawPath(request),
            CanonicalQuery(request),
            string.Concat(signedHeaders.Split(';').Select(h => $"{h}:{CanonicalValue(h == "host" ? request.Host.Value ?? "" : request.Headers[h].ToString())}\n")),
            signedHeaders,
            payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"{Scheme}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + options.Value.SecretKey), date), region), service), "aws4_request");
        var expected = Hex(Hmac(key, toSign));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(match.Groups["signature"].Value))
            ? null
            : ("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
    }

    /// <summary>The payload of an aws-chunked body (<c>size[;chunk-signature=…]\r\n data \r\n</c> … <c>0</c>, then optional trailers).</summary>
    public static byte[] DecodeChunked(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var payload = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.AsSpan(position).IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                throw new InvalidDataException("aws-chunked body: a chunk header has no line end.");
            }

            var header = Encoding.ASCII.GetString(body, position, lineEnd);
            var size = Convert.ToInt32(header.Split(';')[0].Trim(), 16);
            position += lineEnd + 2;
            if (size == 0)
            {
                break;
            }

            payload.Write(body, position, size);
            position += size + 2;
        }

        return payload.ToArray();
    }

    private static string RawPath(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? raw : raw[..query];
    }

    private static string CanonicalQuery(HttpRequest request) =>
        string.Join('&', request.Query
            .SelectMany(q => q.Value.Count == 0 ? [(q.Key, "")] : q.Value.Select(v => (q.Key, v ?? "")))
            .Select(p => (Key: Uri.EscapeDataString(p.Key), Value: Uri.EscapeDataString(p.Item2)))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));

    private static string CanonicalValue(string value) => Spaces().Replace(value.Trim(), " ");

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256\s+Credential=(?<key>[^/]+)/(?<date>\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request,\s*SignedHeaders=(?<headers>[a-z0-9;-]+),\s*Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();
}
