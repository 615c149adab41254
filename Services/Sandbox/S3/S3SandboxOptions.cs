namespace Atlas.Sandbox.S3;

/// <summary><c>Sandbox:S3</c>: the one access key the S3 stand-in accepts (requests are checked with signature v4).</summary>
public sealed class S3SandboxOptions
{
    public const string Section = "Sandbox:S3";

    public string AccessKey { get; init; } = "sandbox-access-key";

    public string SecretKey { get; init; } = "sandbox-secret-key";

    public string Region { get; init; } = "us-east-1";
}
