using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Atlas.Moderation.Verdicts;

/// <summary>
/// Spam verdicts by content, in Redis for <see cref="Lifetime"/>: the key is <c>moderation:verdict:&lt;sha256&gt;</c>
/// of the normalised text (Unicode NFKC, lower case, runs of white space as one space, trimmed), so the same spam
/// pasted again, in any chat, is decided without asking a model. Only clear verdicts (spam, ham) are kept.
/// </summary>
public sealed class VerdictCache(IDatabase redis)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public async Task<CachedVerdict?> GetAsync(string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var value = await redis.StringGetAsync(Key(text)).ConfigureAwait(false);
        if (!value.HasValue || value.ToString().Split('|', 2) is not [var verdict, var provider])
        {
            return null;
        }

        return new CachedVerdict(verdict, provider);
    }

    public async Task SetAsync(string text, CachedVerdict verdict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        cancellationToken.ThrowIfCancellationRequested();
        await redis.StringSetAsync(Key(text), $"{verdict.Verdict}|{verdict.Provider}", Lifetime).ConfigureAwait(false);
    }

    /// <summary>The normalised form whose hash is the key.</summary>
    public static string Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words);
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalise(text))));

    private static RedisKey Key(string text) => "moderation:verdict:" + Hash(text);
}

/// <summary>A remembered verdict (spam or ham) and the provider that gave it.</summary>
public sealed record CachedVerdict(string Verdict, string Provider);
