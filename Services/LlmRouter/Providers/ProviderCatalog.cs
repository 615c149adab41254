using System.ClientModel;
using System.ClientModel.Primitives;
using Atlas.LlmRouter.Diagnostics;
using Atlas.LlmRouter.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OllamaSharp;
using OpenAI;

namespace Atlas.LlmRouter.Providers;

/// <summary>
/// The configured model providers in routing order (Ollama, then the OpenAI-compatible endpoint). Rebuilt whenever
/// their configuration changes, so a rotated key or a moved base URL takes effect without a restart.
/// </summary>
public sealed class ProviderCatalog : IDisposable
{
    public const string Ollama = "ollama";
    public const string OpenAi = "openai";
    public const string GenAiSource = "Atlas.LlmRouter.GenAI";

    private readonly IOptionsMonitor<OllamaOptions> _ollama;
    private readonly IOptionsMonitor<OpenAiOptions> _openAi;
    private readonly IOptionsMonitor<RoutingOptions> _routing;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<ProviderCatalog> _logger;
    private readonly HttpMessageHandler _handler;
    private readonly List<IDisposable?> _subscriptions;
    private volatile IReadOnlyList<ChatProvider> _providers = [];

    public ProviderCatalog(
        IOptionsMonitor<OllamaOptions> ollama, IOptionsMonitor<OpenAiOptions> openAi, IOptionsMonitor<RoutingOptions> routing,
        ILoggerFactory loggerFactory, TimeProvider time)
    {
        _ollama = ollama;
        _openAi = openAi;
        _routing = routing;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ProviderCatalog>();
        _handler = new ProviderStatusHandler(time) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) } };
        Rebuild();
        _subscriptions = [ollama.OnChange(_ => Rebuild()), openAi.OnChange(_ => Rebuild()), routing.OnChange(_ => Rebuild())];
    }

    /// <summary>The configured providers, best first.</summary>
    public IReadOnlyList<ChatProvider> Providers => _providers;

    /// <summary>Every provider name routing can answer with, in order, for health reporting.</summary>
    public static IReadOnlyList<string> ModelProviderNames { get; } = [Ollama, OpenAi];

    private void Rebuild()
    {
        var providers = new List<ChatProvider>();
        var recordText = _routing.CurrentValue.RecordPromptText;
        if (_ollama.CurrentValue is { IsConfigured: true } ollama)
        {
            var http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = ollama.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
            providers.Add(new ChatProvider(Ollama, ollama.Model, Instrument(new OllamaApiClient(http, ollama.Model), recordText), ollama.Timeout, ollama.ContextWindowChars));
        }

        if (_openAi.CurrentValue is { IsConfigured: true } openAi)
        {
            var http = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
            var options = new OpenAIClientOptions
            {
                Endpoint = openAi.BaseUrl,
                Transport = new HttpClientPipelineTransport(http),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = Timeout.InfiniteTimeSpan,
            };
            var key = string.IsNullOrEmpty(openAi.ApiKey) ? "no-key" : openAi.ApiKey;
            var client = new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient(openAi.Model).AsIChatClient();
            providers.Add(new ChatProvider(OpenAi, openAi.Model, Instrument(client, recordText), openAi.Timeout, openAi.ContextWindowChars));
        }

        _providers = providers;
        LlmRouterLog.ProvidersConfigured(_logger, providers.Count == 0 ? "none" : string.Join(", ", providers.Select(p => $"{p.Name}({p.Model})")));
    }

    private IChatClient Instrument(IChatClient inner, bool recordText) =>
        new ChatClientBuilder(inner)
            .UseOpenTelemetry(_loggerFactory, GenAiSource, telemetry => telemetry.EnableSensitiveData = recordText)
            .Build();

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription?.Dispose();
        }

        _handler.Dispose();
    }
}
