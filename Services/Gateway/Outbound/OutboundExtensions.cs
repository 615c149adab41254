namespace Atlas.Gateway.Outbound;

internal static class OutboundExtensions
{
    /// <summary>
    /// The outbox (<see cref="IOutbox"/> on Redis) and the one sender that drains it under Telegram's limits, with its
    /// options from <c>Gateway:Outbound</c>. Needs the Redis client, <see cref="Telegram.Client.TelegramBot"/>,
    /// GatewayMetrics and TimeProvider registered.
    /// </summary>
    public static void AddOutbound(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboundOptions>()
            .BindConfiguration(OutboundOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.RetryMaxDelay >= o.RetryBaseDelay, "Gateway:Outbound:RetryMaxDelay must not be shorter than RetryBaseDelay.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboundStore>();
        builder.Services.AddSingleton<ActionStore>();
        builder.Services.AddSingleton<OutboundSignal>();
        builder.Services.AddSingleton<IOutbox, RedisOutbox>();
        builder.Services.AddSingleton<OutboundSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboundSender>());
    }
}
