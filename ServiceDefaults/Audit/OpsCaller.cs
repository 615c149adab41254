using Microsoft.AspNetCore.Http;

namespace Atlas.ServiceDefaults.Audit;

/// <summary>
/// Who calls an ops API, as the caller says: <see cref="OperatorHeader"/> (a name of at most <see cref="MaxOperatorLength"/>
/// printable characters; without it the actor is <see cref="KeyHolder"/>) and <see cref="SourceHeader"/> (<c>dashboard</c>,
/// <c>cli</c> or <c>api</c>, the default). The ops key proves the caller may act; the name is what the caller claims.
/// </summary>
public static class OpsCaller
{
    public const string OperatorHeader = "X-Atlas-Operator";
    public const string SourceHeader = "X-Atlas-Source";
    public const string KeyHolder = "ops-key holder";
    public const string Unknown = "unknown";
    public const int MaxOperatorLength = 64;

    /// <summary>The actor and source of <paramref name="request"/>, or null with the reason when a header is malformed.</summary>
    public static (string Actor, string Source)? From(HttpRequest request, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        problem = null;
        var source = OpsSources.Api;
        if (request.Headers.TryGetValue(SourceHeader, out var sourceValues))
        {
            source = sourceValues.ToString().Trim().ToLowerInvariant();
            if (!OpsSources.Claimable.Contains(source))
            {
                problem = $"{SourceHeader} must be one of {string.Join(", ", OpsSources.Claimable.Order(StringComparer.Ordinal))}.";
                return null;
            }
        }

        if (!request.Headers.TryGetValue(OperatorHeader, out var operatorValues))
        {
            return (KeyHolder, source);
        }

        var name = operatorValues.ToString().Trim();
        if (!IsValidName(name))
        {
            problem = $"{OperatorHeader} must be 1 to {MaxOperatorLength} printable characters.";
            return null;
        }

        return (name, source);
    }

    /// <summary>True for a short name without control characters.</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxOperatorLength } && !name.Any(c => char.IsControl(c) || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029');
}
