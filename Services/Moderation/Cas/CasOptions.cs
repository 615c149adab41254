using System.ComponentModel.DataAnnotations;

namespace Atlas.Moderation.Cas;

/// <summary><c>Moderation:Cas</c>: the CAS-compatible known-spammer list asked for chats that switched <c>casLookup</c> on.</summary>
public sealed class CasOptions
{
    public const string SectionName = "Moderation:Cas";

    /// <summary>The list's base address (its <c>check?user_id=N</c> is asked); without it no one is looked up.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>How long one lookup may take before the rules decide alone.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30", ErrorMessage = "Moderation:Cas:Timeout must be between 100 ms and 30 s.")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an answer (listed or not) is kept in Redis.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Moderation:Cas:CacheTtl must be between 1 s and 7 d.")]
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromHours(6);
}
