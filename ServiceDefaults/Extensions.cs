using Atlas.ServiceDefaults;
using Atlas.ServiceDefaults.Audit;
using Atlas.ServiceDefaults.Clients;
using Atlas.ServiceDefaults.Diagnostics;
using Atlas.ServiceDefaults.Hosting;
using Atlas.ServiceDefaults.Health;
using Atlas.ServiceDefaults.Http;
using Atlas.ServiceDefaults.Redaction;
using Atlas.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every Atlas service shares, in the shape of .NET Aspire's ServiceDefaults:
/// OpenTelemetry, health checks, service discovery, resilience, /metrics and secret redaction.
/// </summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    /// <summary>Everything a service needs: telemetry, health, discovery and resilient HTTP clients.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddBasicServiceDefaults();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>For workers that make no outbound HTTP calls: telemetry, health and redaction only.</summary>
    public static TBuilder AddBasicServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSecretRedaction();
        builder.Services.AddProblemDetails();
        builder.Services.AddBadRequestProblems();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServiceIdentity>(_ => ServiceIdentity.From(builder.Environment, builder.Configuration));
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddClientIntegrationDefaults();
        builder.ExitWithParentProcess();
        builder.Services.AddHostedService<FaultExitCode>();
        return builder;
    }

    /// <summary>Logs, traces and metrics; OTLP export only when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // StackExchange.Redis logs every step of every (re)connect at Information through the integration's logger.
        builder.Logging.AddFilter("StackExchange.Redis", LogLevel.Warning);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetrySources.MassTransit, TelemetrySources.Atlas)
                // Kestrel's memory pool counts every block rented and returned, several per request: a cost on the
                // hottest path for a figure nobody watches. Dropped, its instruments are not listened to at all.
                .AddView(instrument => instrument.Meter.Name == TelemetrySources.KestrelMemoryPool ? MetricStreamConfiguration.Drop : null)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .SetSampler(TraceSampling.Sampler(builder.Configuration, builder.Environment))
                .AddSource(builder.Environment.ApplicationName, TelemetrySources.MassTransit, TelemetrySources.Atlas)
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context => !HealthPaths.IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSecretRedaction());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>A "self" check tagged "live"; dependencies add their own checks tagged "ready".</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);

        // The readiness checks also run on a timer and become atlas_dependency_up / atlas_dependency_check_failures_total.
        builder.Services.AddSingleton<IHealthCheckPublisher, DependencyHealthMetrics>();
        builder.Services.Configure<HealthCheckPublisherOptions>(options =>
        {
            // The servers only: a check of an external system (Telegram's getMe, Camunda's token) is not repeated on a timer.
            options.Predicate = r => r.Tags.Contains(HealthTags.Ready) && DependencyHealthMetrics.Servers.Contains(r.Name);
            options.Delay = TimeSpan.FromSeconds(2);
            options.Period = DependencyHealthMetrics.Period;
        });
        return builder;
    }

    /// <summary>
    /// Maps /health, /alive, /healthz, /readyz and /metrics, and turns unhandled errors into RFC 9457
    /// problem details. The probes are mapped in every environment on purpose: orchestrators and the
    /// runbooks need them, and they reveal only check names and states, never configuration. With the ops audit
    /// (<c>AddOpsAudit</c>) also its export, <c>GET /ops/audit</c>, behind the service's ops key.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(HealthTags.Live) });
        app.MapHealthChecks(HealthPaths.Liveness, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthTags.Live),
            ResponseWriter = HealthResponseWriter.WriteStatusOnly,
        });
        app.MapHealthChecks(HealthPaths.Readiness, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthResponseWriter.WriteDetailed,
        });
        app.MapPrometheusScrapingEndpoint();
        app.MapDebugEndpoints();
        if (app.Services.GetService<OpsAuditExport>() is { } audit)
        {
            app.MapOpsAuditApi(audit.OpsKeyPath);
        }

        return app;
    }
}
