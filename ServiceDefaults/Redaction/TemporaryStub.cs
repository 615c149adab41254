using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Atlas.ServiceDefaults.Redaction;

public static class TemporaryStub
{
    public static IServiceCollection AddSecretRedaction(this IServiceCollection services) => services;

    public static TracerProviderBuilder AddSecretRedaction(this TracerProviderBuilder builder) => builder;
}
