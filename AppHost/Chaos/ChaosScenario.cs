namespace Atlas.AppHost.Chaos;

/// <summary>
/// One chaos drill: what breaks (<see cref="Name"/>, plus the service for <c>kill</c>), for how long, and how long the
/// drill waits for late answers afterwards. Traffic runs before, during and after the fault.
/// </summary>
internal sealed record ChaosScenario(string Name, string? Service, TimeSpan Duration)
{
    public const string RabbitMqCrash = "rabbitmq-crash";
    public const string RedisDown = "redis-down";
    public const string PostgresRestart = "postgres-restart";
    public const string Kill = "kill";
    public const string LlmDown = "llm-down";
    public const string CamundaDown = "camunda-down";
    public const string Telegram429 = "telegram-429";
    public const string Telegram5xx = "telegram-5xx";

    public static readonly string[] Names = [RabbitMqCrash, RedisDown, PostgresRestart, Kill, LlmDown, CamundaDown, Telegram429, Telegram5xx];

    /// <summary>The services <c>kill</c> may name (the Sandbox is the drill's own instrument, not a target).</summary>
    public static readonly string[] Services = ["gateway", "moderation", "llmrouter", "workflow", "backup"];

    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(30);

    /// <summary>How long messages are sent before the fault, to see the stack answer normally first.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a user writes to the bot while the drill runs.</summary>
    public TimeSpan MessageInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long after the fault ends traffic continues (recovery is seen on these messages).</summary>
    public TimeSpan Tail { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After the last message: how long an unanswered message may still be answered before it counts as lost.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long the broken resource may take to be running and healthy again.</summary>
    public TimeSpan RecoveryLimit { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The label in reports and the dashboard: <c>kill gateway</c>, <c>redis-down</c>.</summary>
    public string Label => Service is null ? Name : $"{Name} {Service}";

    /// <summary>The scenario named on the command line (<c>chaos kill gateway</c>, <c>chaos redis-down --seconds 10</c>), or an error.</summary>
    public static ChaosScenario? Parse(IReadOnlyList<string> words, TimeSpan duration, out string? error)
    {
        error = null;
        var name = words.Count > 0 ? words[0] : null;
        if (name is null || !Names.Contains(name))
        {
            error = $"chaos needs a scenario: {string.Join(", ", Names)}.";
            return null;
        }

        string? service = null;
        if (name == Kill)
        {
            service = words.Count > 1 ? words[1] : null;
            if (service is null || !Services.Contains(service))
            {
                error = $"chaos kill needs a service: {string.Join(", ", Services)}.";
                return null;
            }
        }

        if (duration <= TimeSpan.Zero || duration > TimeSpan.FromHours(1))
        {
            error = "--seconds must be between 1 and 3600.";
            return null;
        }

        return new ChaosScenario(name, service, duration);
    }
}
