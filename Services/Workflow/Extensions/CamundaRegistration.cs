using Atlas.ServiceDefaults.Health;
using Atlas.Workflow.Camunda;
using Atlas.Workflow.Camunda.Auth;
using Atlas.Workflow.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Refit;

namespace Atlas.Workflow.Extensions;

/// <summary>The Camunda client: configuration (with the SDKs' environment names), auth, error mapping, health checks.</summary>
internal static class CamundaRegistration
{
    /// <summary>The Camunda SDKs' environment variables, accepted where the Camunda:* key is not set.</summary>
    private static readonly (string Alias, string Key)[] Aliases =
    [
        ("ZEEBE_REST_ADDRESS", "Camunda:RestAddress"),
        ("CAMUNDA_OAUTH_URL", "Camunda:Auth:TokenUrl"),
        ("ZEEBE_CLIENT_ID", "Camunda:Auth:ClientId"),
        ("ZEEBE_CLIENT_SECRET", "Camunda:Auth:ClientSecret"),
        ("CAMUNDA_TOKEN_AUDIENCE", "Camunda:Auth:Audience"),
    ];

    public static void AddCamundaClient(this IHostApplicationBuilder builder)
    {
        ApplyAliases(builder.Configuration);
        var services = builder.Services;
        services.AddOptions<CamundaOptions>().BindConfiguration(CamundaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CamundaAuthOptions>().BindConfiguration(CamundaAuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OAuthTokenProvider>();
        services.AddSingleton<ReadAfterWrite>();
        services.AddTransient<CamundaErrorHandler>();
        services.AddTransient<CamundaAuthHandler>();
        services.AddTransient<CamundaAddressHandler>();

#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental; it is the documented opt-out. Retries are ours: parked work.
        services.AddHttpClient(OAuthTokenProvider.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .RemoveAllResilienceHandlers().RemoveAllLoggers();
        services.AddHttpClient(CamundaEngineHealthCheck.HttpClientName, client => client.Timeout = HealthTags.CheckTimeout)
            .RemoveAllResilienceHandlers();
        services.AddRefitGeneratedClient<ICamundaApi>(CamundaJsonContext.Default, _ => RefitSettingsFor())
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<CamundaOptions>>().CurrentValue;
                client.BaseAddress = options.RestAddress;
                client.Timeout = options.RequestTimeout;
            })
            .AddHttpMessageHandler<CamundaAddressHandler>()
            .AddHttpMessageHandler<CamundaErrorHandler>()
            .AddHttpMessageHandler<CamundaAuthHandler>()
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        services.AddHealthChecks()
            .AddCheck<CamundaEngineHealthCheck>("camunda", HealthStatus.Degraded, [HealthTags.Ready], HealthTags.CheckTimeout)
            .AddCheck<CamundaTokenHealthCheck>("camunda-token", HealthStatus.Degraded, [HealthTags.Ready], HealthTags.CheckTimeout);
    }

    /// <summary>
    /// Transport failures pass through Refit unwrapped: <see cref="CamundaErrorHandler"/> has already turned them into
    /// <see cref="EngineUnavailableException"/> or <see cref="CamundaProblemException"/>, and a cancellation stays one.
    /// </summary>
    private static RefitSettings RefitSettingsFor()
    {
        var settings = RefitSettings.ForJsonContext(CamundaJsonContext.Default);
        settings.TransportExceptionFactory = (_, exception, _) => exception;
        return settings;
    }

    private static void ApplyAliases(IConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (alias, key) in Aliases)
        {
            if (string.IsNullOrEmpty(configuration[key]) && configuration[alias] is { Length: > 0 } value)
            {
                values[key] = value;
            }
        }

        if (string.IsNullOrEmpty(configuration["Camunda:Auth:Mode"]) && !string.IsNullOrEmpty(configuration["CAMUNDA_OAUTH_URL"]))
        {
            values["Camunda:Auth:Mode"] = nameof(CamundaAuthMode.OAuth);
        }

        if (values.Count > 0)
        {
            configuration.AddInMemoryCollection(values);
        }
    }
}
