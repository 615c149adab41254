using System.ComponentModel.DataAnnotations;

namespace Atlas.Workflow.Camunda;

/// <summary>
/// <c>Camunda</c>: where the cluster is (<c>RestAddress</c>, without <c>/v2</c>; alias <c>ZEEBE_REST_ADDRESS</c>) and
/// whether the shipped processes are deployed at start.
/// </summary>
public sealed class CamundaOptions
{
    public const string Section = "Camunda";

    [Required(ErrorMessage = "Camunda:RestAddress (or ZEEBE_REST_ADDRESS) is required: the cluster's base address without /v2.")]
    public Uri? RestAddress { get; init; }

    public bool DeployOnStart { get; init; } = true;

    /// <summary>How long one engine call may take (a job long poll adds its own request timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a read after a write polls a search endpoint before giving up.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ReadAfterWriteTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>How the client authenticates: <c>None</c>, <c>Basic</c> or <c>OAuth</c> (client credentials).</summary>
public enum CamundaAuthMode
{
    None,
    Basic,
    OAuth,
}

/// <summary>
/// <c>Camunda:Auth</c>. OAuth uses <c>TokenUrl</c> (alias <c>CAMUNDA_OAUTH_URL</c>), <c>ClientId</c>
/// (<c>ZEEBE_CLIENT_ID</c>), <c>ClientSecret</c> (<c>ZEEBE_CLIENT_SECRET</c>), <c>Audience</c>
/// (<c>CAMUNDA_TOKEN_AUDIENCE</c>) and optional <c>Scope</c>; Basic uses <c>Username</c>/<c>Password</c>.
/// </summary>
public sealed class CamundaAuthOptions : IValidatableObject
{
    public const string Section = "Camunda:Auth";

    public CamundaAuthMode Mode { get; init; } = CamundaAuthMode.None;

    public Uri? TokenUrl { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? Audience { get; init; }

    public string? Scope { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>How long the token endpoint is left alone after repeated failures.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan FailureBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == CamundaAuthMode.OAuth && (TokenUrl is null || string.IsNullOrEmpty(ClientId) || string.IsNullOrEmpty(ClientSecret)))
        {
            yield return new ValidationResult(
                "Camunda:Auth:Mode is OAuth: set Camunda:Auth:TokenUrl, :ClientId and :ClientSecret (or CAMUNDA_OAUTH_URL, ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET).",
                [nameof(TokenUrl)]);
        }

        if (Mode == CamundaAuthMode.Basic && (string.IsNullOrEmpty(Username) || Password is null))
        {
            yield return new ValidationResult("Camunda:Auth:Mode is Basic: set Camunda:Auth:Username and :Password.", [nameof(Username)]);
        }
    }
}
