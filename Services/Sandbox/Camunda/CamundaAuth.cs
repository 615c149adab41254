using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Atlas.Sandbox.Camunda;

/// <summary>
/// The stand-in's identity provider and gate: issues opaque bearer tokens for the client-credentials grant
/// (RFC 6749 §4.4) and checks bearer or Basic credentials on engine calls.
/// </summary>
internal sealed class CamundaAuth(IOptions<CamundaSandboxOptions> options, CamundaSwitches switches, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private int _issued;
    private int _requests;

    public int TokensIssued => _issued;

    public int TokenRequests => _requests;

    public TimeSpan TokenLifetime { get; set; } = options.Value.TokenLifetime;

    /// <summary>The client secret the token endpoint accepts now; the control API rotates it (issued tokens stay valid until they expire).</summary>
    public string ClientSecret { get; set; } = options.Value.ClientSecret;

    /// <summary>A token for valid client credentials, or the OAuth error code and HTTP status.</summary>
    public (string? Token, string? Error, int Status) Issue(string? grantType, string? clientId, string? clientSecret)
    {
        Interlocked.Increment(ref _requests);
        if (switches.Current.TokenEndpointDown)
        {
            return (null, "temporarily_unavailable", 503);
        }

        if (grantType != "client_credentials")
        {
            return (null, grantType is null ? "invalid_request" : "unsupported_grant_type", 400);
        }

        if (!FixedEquals(clientId, options.Value.ClientId) || !FixedEquals(clientSecret, ClientSecret))
        {
            return (null, "invalid_client", 401);
        }

        var token = "sbx." + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _tokens[token] = time.GetUtcNow() + TokenLifetime;
        Interlocked.Increment(ref _issued);
        return (token, null, 200);
    }

    /// <summary>Why an engine request is not authenticated, or null when it is.</summary>
    public string? Reject(string? authorization)
    {
        if (!options.Value.RequireAuth)
        {
            return null;
        }

        if (authorization is null)
        {
            return "No credentials were sent (expected a bearer token or Basic credentials).";
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[7..].Trim();
            if (switches.Current.RejectTokens)
            {
                return "The token was rejected.";
            }

            return _tokens.TryGetValue(token, out var expires) && expires > time.GetUtcNow() ? null : "The token is unknown or expired.";
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var (user, password) = DecodeBasic(authorization[6..].Trim());
            return FixedEquals(user, options.Value.BasicUser) && FixedEquals(password, options.Value.BasicPassword) ? null : "Wrong user name or password.";
        }

        return "Unsupported authorization scheme.";
    }

    public static (string? User, string? Password) DecodeBasic(string encoded)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (null, null) : (Uri.UnescapeDataString(text[..colon]), Uri.UnescapeDataString(text[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private static bool FixedEquals(string? a, string b) =>
        a is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
