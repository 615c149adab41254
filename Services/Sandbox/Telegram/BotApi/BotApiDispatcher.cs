using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.Actions;
using Atlas.Sandbox.Telegram.Bots;
using Atlas.Sandbox.Telegram.Faults;
using Atlas.Sandbox.Telegram.Spec;
using Microsoft.AspNetCore.WebUtilities;

namespace Atlas.Sandbox.Telegram.BotApi;

/// <summary>
/// Serves one Bot API call the way Telegram does: 401 for a token it does not know, 404 for a method it does not
/// serve, an armed fault if there is one, 400 for parameters that do not fit the spec, then the method itself. Every
/// call of a known bot goes into its action log with its answer.
/// </summary>
internal sealed class BotApiDispatcher
{
    private readonly BotRegistry _bots;
    private readonly BotApiSpec _spec;
    private readonly ParameterValidator _validator;
    private readonly TimeProvider _time;
    private readonly ILogger<BotApiDispatcher> _logger;
    private readonly Dictionary<string, BotApiHandler> _handlers = new(StringComparer.OrdinalIgnoreCase);

    public BotApiDispatcher(BotRegistry bots, BotApiSpec spec, ParameterValidator validator, IEnumerable<IBotApiMethodSet> methodSets, TimeProvider time, ILogger<BotApiDispatcher> logger)
    {
        _bots = bots;
        _spec = spec;
        _validator = validator;
        _time = time;
        _logger = logger;
        foreach (var method in methodSets.SelectMany(s => s.Methods))
        {
            _handlers.Add(method.Name, method.Handler);
        }
    }

    /// <summary>The names of the methods served, as the spec spells them.</summary>
    public IEnumerable<string> ServedMethods => _handlers.Keys;

    public async Task<BotApiResult> HandleAsync(string token, string method, HttpRequest request, CancellationToken cancellationToken)
    {
        var bot = _bots.Find(token);
        if (bot is null)
        {
            return BotApiResult.Unauthorized;
        }

        var methodSpec = _spec.Method(method);
        if (methodSpec is null || !_handlers.TryGetValue(method, out var handler))
        {
            if (methodSpec is not null)
            {
                _logger.MethodNotServed(bot.Id, _spec.CanonicalName(method));
            }

            return Record(bot, method, [], BotApiResult.NotFound);
        }

        var name = _spec.CanonicalName(method);
        var (raw, readError) = await BotApiRequestReader.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (raw is null)
        {
            return Record(bot, name, [], BotApiResult.Error(400, readError!));
        }

        FaultSpec? fault;
        lock (bot.Sync)
        {
            fault = bot.Faults.Take(name);
        }

        if (fault?.DelayMs is > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(fault.DelayMs.Value), _time, cancellationToken).ConfigureAwait(false);
        }

        if (fault is { StatusCode: not 200 })
        {
            return Record(bot, name, raw.ToJson(), FaultResult(fault));
        }

        var (parameters, validationError) = _validator.Validate(name, methodSpec, raw);
        if (parameters is null)
        {
            return Record(bot, name, raw.ToJson(), BotApiResult.Error(400, validationError!));
        }

        var result = await handler(new BotApiCall(bot, name, parameters), cancellationToken).ConfigureAwait(false);
        return Record(bot, name, parameters, result);
    }

    private BotApiResult Record(SandboxBot bot, string method, JsonObject parameters, BotApiResult result)
    {
        if (!result.Ok)
        {
            _logger.BotApiCallFailed(bot.Id, method, result.ErrorCode, result.Description);
        }

        lock (bot.Sync)
        {
            bot.Actions.Add(new BotAction(
                bot.Actions.NextSeq(),
                _time.GetUtcNow(),
                method,
                parameters,
                result.Ok,
                result.Ok ? null : result.ErrorCode,
                result.Description,
                result.RetryAfter,
                result.Result?.DeepClone()));
        }

        return result;
    }

    /// <summary>The answer an armed fault gives, in Telegram's words unless the fault brings its own.</summary>
    private static BotApiResult FaultResult(FaultSpec fault)
    {
        if (fault.StatusCode == 429)
        {
            var retryAfter = fault.RetryAfter ?? 1;
            return BotApiResult.Error(429, fault.Description ?? $"Too Many Requests: retry after {retryAfter}", retryAfter);
        }

        var description = fault.Description ?? fault.StatusCode switch
        {
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            409 => "Conflict",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => ReasonPhrases.GetReasonPhrase(fault.StatusCode) is { Length: > 0 } phrase ? phrase : "Error",
        };
        return BotApiResult.Error(fault.StatusCode, description);
    }
}
