namespace Atlas.Sandbox.S3;

/// <summary>The S3 stand-in's services.</summary>
public static class S3Registration
{
    public static IServiceCollection AddS3Sandbox(this IServiceCollection services)
    {
        services.AddOptions<S3SandboxOptions>().BindConfiguration(S3SandboxOptions.Section).ValidateOnStart();
        services.AddSingleton<S3Store>();
        services.AddSingleton<SigV4Verifier>();
        return services;
    }
}
