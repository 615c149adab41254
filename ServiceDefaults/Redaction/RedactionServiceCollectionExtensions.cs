using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>Registers secret redaction for everything written through <see cref="ILogger"/>.</summary>
public static class RedactionServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="SecretRedactor"/> built from <see cref="IConfiguration"/> (unless one is registered)
    /// and decorates the registered <see cref="ILoggerFactory"/> with a <see cref="RedactingLoggerFactory"/>.
    /// </summary>
    /// <remarks>
    /// Logger providers are resolved when the factory is first built, so providers registered after this call
    /// (OpenTelemetry's, a test's) are covered too. Calling this more than once decorates only once.
    /// </remarks>
    public static IServiceCollection AddSecretRedaction(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSecretRedactor();
        services.AddLogging();

        var index = LastIndexOfLoggerFactory(services);
        var current = services[index];
        if (current.ImplementationFactory?.Target is LoggerFactoryDecoration)
        {
            return services;
        }

        var decoration = new LoggerFactoryDecoration(current);
        services[index] = ServiceDescriptor.Describe(typeof(ILoggerFactory), decoration.Create, current.Lifetime);
        return services;
    }

    /// <summary>Registers the configuration-built <see cref="SecretRedactor"/> unless one is registered already.</summary>
    internal static IServiceCollection TryAddSecretRedactor(this IServiceCollection services)
    {
        services.TryAddSingleton(static provider =>
            SecretRedactor.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        return services;
    }

    private static int LastIndexOfLoggerFactory(IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(ILoggerFactory) && !services[i].IsKeyedService)
            {
                return i;
            }
        }

        throw new InvalidOperationException("AddLogging registered no ILoggerFactory.");
    }

    /// <summary>Builds the factory the original registration described and puts redaction in front of it.</summary>
    private sealed class LoggerFactoryDecoration(ServiceDescriptor original)
    {
        public RedactingLoggerFactory Create(IServiceProvider services)
        {
            var redactor = services.GetRequiredService<SecretRedactor>();

            // An instance registered by someone else is theirs to dispose; one built here is ours.
            if (original.ImplementationInstance is ILoggerFactory instance)
            {
                return new RedactingLoggerFactory(instance, redactor, ownsInner: false);
            }

            var inner = original.ImplementationFactory is { } factory
                ? factory(services)
                : ActivatorUtilities.CreateInstance(services, original.ImplementationType!);

            return new RedactingLoggerFactory((ILoggerFactory)inner, redactor, ownsInner: true);
        }
    }
}
