using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atlas.Workflow.Diagnostics;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Atlas.Workflow.Camunda.Auth;

/// <summary>
/// Access tokens by the OAuth 2.0 client-credentials grant (RFC 6749 §4.4: a form-encoded POST of grant_type,
/// client_id, client_secret and, when set, audience and scope). A token is cached and replaced
/// max(30 s, 5 % of its lifetime) before it expires, as Camunda's SDKs do; while a replacement cannot be had the
/// still-valid token is kept. Failures of the endpoint are retried briefly and then backed off (the token pipeline's
/// circuit breaker), so an outage costs no stream of requests. The token itself is never logged. The endpoint and client
/// credentials are read at each request (<see cref="IOptionsMonitor{TOptions}"/>): when configuration changes them (a
/// rotated client secret), the cached token is dropped and the next call asks with the new ones, without a restart.
/// </summary>
internal sealed class OAuthTokenProvider : IDisposable
{
    public const string HttpClientName = "camunda-token";

    private readonly IHttpClientFactory _clients;
    private readonly IOptionsMonitor<CamundaAuthOptions> _options;
    private readonly IDisposable? _onChange;
    private readonly TimeProvider _time;
    private readonly ILogger<OAuthTokenProvider> _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private CachedToken? _cached;

    public OAuthTokenProvider(IHttpClientFactory clients, IOptionsMonitor<CamundaAuthOptions> options, TimeProvider time, ILogger<OAuthTokenProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = options;
        var credentials = Credentials(options.CurrentValue);
        _onChange = options.OnChange(changed =>
        {
            var now = Credentials(changed);
            if (now != Volatile.Read(ref credentials))
            {
                Volatile.Write(ref credentials, now);
                _cached = null;
                WorkflowLog.TokenCredentialsChanged(logger);
            }
        });
        _time = time;
        _logger = logger;
        var transient = new PredicateBuilder().Handle<TokenEndpointUnavailableException>();
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions { ShouldHandle = transient, MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(200), BackoffType = DelayBackoffType.Exponential })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient, FailureRatio = 1.0, MinimumThroughput = 3, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = options.CurrentValue.FailureBackoff,
            })
            .Build();
    }

    /// <summary>When the cached token will be replaced (null: none cached).</summary>
    public DateTimeOffset? RefreshAt => _cached?.RefreshAt;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        if (cached is not null && _time.GetUtcNow() < cached.RefreshAt)
        {
            return cached.Token;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cached = _cached;
            var now = _time.GetUtcNow();
            if (cached is not null && now < cached.RefreshAt)
            {
                return cached.Token;
            }

            try
            {
                _cached = await _pipeline.ExecuteAsync(RequestAsync, cancellationToken).ConfigureAwait(false);
                WorkflowLog.TokenObtained(_logger, (_cached.ExpiresAt - now).TotalSeconds);
                return _cached.Token;
            }
            catch (BrokenCircuitException exception)
            {
                return KeepOrThrow(cached, now, new TokenEndpointUnavailableException("The token endpoint is backed off after repeated failures", exception));
            }
            catch (TokenEndpointUnavailableException exception)
            {
                return KeepOrThrow(cached, now, exception);
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> (the engine rejected it), so the next call fetches a new one.</summary>
    public void Invalidate(string token)
    {
        if (_cached?.Token == token)
        {
            _cached = null;
        }
    }

    private string KeepOrThrow(CachedToken? cached, DateTimeOffset now, TokenEndpointUnavailableException exception)
    {
        WorkflowLog.TokenRequestFailed(_logger, exception.Reason);
        if (cached is not null && now < cached.ExpiresAt)
        {
            return cached.Token;
        }

        throw exception;
    }

    private async ValueTask<CachedToken> RequestAsync(CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "client_credentials"),
            new("client_id", options.ClientId ?? ""),
            new("client_secret", options.ClientSecret ?? ""),
        };
        if (!string.IsNullOrEmpty(options.Audience))
        {
            form.Add(new("audience", options.Audience));
        }

        if (!string.IsNullOrEmpty(options.Scope))
        {
            form.Add(new("scope", options.Scope));
        }

        var client = _clients.CreateClient(HttpClientName);
        using var content = new FormUrlEncodedContent(form);
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsync(options.TokenUrl, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new TokenEndpointUnavailableException($"The token endpoint could not be reached ({exception.HttpRequestError})", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TokenEndpointUnavailableException("The token endpoint did not answer in time", exception);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                throw new TokenEndpointUnavailableException($"The token endpoint answered {(int)response.StatusCode} {error}");
            }

            var body = await response.Content.ReadFromJsonAsync<TokenResponse>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
            if (body?.AccessToken is not { Length: > 0 } token)
            {
                throw new TokenEndpointUnavailableException("The token endpoint answered without an access_token");
            }

            var lifetime = TimeSpan.FromSeconds(body.ExpiresIn is > 0 ? body.ExpiresIn.Value : 300);
            var early = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, lifetime.Ticks / 20));
            var now = _time.GetUtcNow();
            return new CachedToken(token, now + lifetime, now + (early < lifetime ? lifetime - early : TimeSpan.Zero));
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync<TokenError>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
            return error?.Error ?? "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        _onChange?.Dispose();
        _refresh.Dispose();
    }

    // What a token is issued for; a change of any of these makes the cached token stale. A string, compared by value.
    private static string Credentials(CamundaAuthOptions options) =>
        string.Join('\n', options.Mode, options.TokenUrl, options.ClientId, options.ClientSecret, options.Audience, options.Scope);

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresAt, DateTimeOffset RefreshAt);

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string? AccessToken, [property: JsonPropertyName("expires_in")] long? ExpiresIn);

    private sealed record TokenError([property: JsonPropertyName("error")] string? Error);
}
