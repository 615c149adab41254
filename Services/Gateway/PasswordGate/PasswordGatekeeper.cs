using System.Security.Cryptography;
using System.Text;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.State;
using Atlas.Gateway.Telegram.Api;
using Atlas.Gateway.Telegram.Client;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Atlas.Gateway.PasswordGate;

/// <summary>
/// The password gate. When enabled, a user's first private text is taken as the password: compared in constant time,
/// deleted from the chat when Telegram allows, and on success the user is authorized for good
/// (<see cref="AuthorizedUsers"/>). Wrong attempts are counted in Redis (<c>gateway:password:attempts:&lt;user&gt;</c>,
/// expiring after <see cref="PasswordGateOptions.AttemptWindow"/>); at <see cref="PasswordGateOptions.MaxAttempts"/>
/// the user is locked out until the window ends. Without Redis attempts cannot be counted, so none is checked.
/// </summary>
public sealed class PasswordGatekeeper(
    IOptions<PasswordGateOptions> options,
    AuthorizedUsers users,
    RedisGuard redis,
    Replies replies,
    TelegramBot telegram,
    ILogger<PasswordGatekeeper> logger)
{
    public bool Enabled => options.Value.Enabled;

    public static RedisKey AttemptsKey(long userId) => $"gateway:password:attempts:{userId}";

    /// <summary>
    /// Whether <paramref name="userId"/> may use the bot (always, when the gate is off); null when that cannot be
    /// told right now (PostgreSQL unreachable).
    /// </summary>
    public async Task<bool?> IsOpenForAsync(long userId, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return true;
        }

        try
        {
            return await users.IsAuthorizedAsync(userId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            GatewayLog.PasswordGateUnknown(logger, userId, exception.GetType().Name);
            return null;
        }
    }

    /// <summary>Takes <paramref name="message"/> as a password attempt and answers it.</summary>
    public async Task HandleAttemptAsync(UpdateContext context, Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        var userId = message.From?.Id ?? message.Chat.Id;
        var settings = options.Value;
        var key = AttemptsKey(userId);
        var (available, attempts) = await redis.TryAsync(
            "password-attempts",
            async db => (Count: (long?)await db.StringGetAsync(key).ConfigureAwait(false) ?? 0, Ttl: await db.KeyTimeToLiveAsync(key).ConfigureAwait(false)),
            (Count: 0L, Ttl: (TimeSpan?)null)).ConfigureAwait(false);
        await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
        if (!available)
        {
            await replies.SendAsync(context, context.Text(TextKeys.PasswordUnavailable), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (attempts.Count >= settings.MaxAttempts)
        {
            GatewayLog.PasswordLockedOut(logger, userId);
            await ReplyLockedAsync(context, attempts.Ttl ?? settings.AttemptWindow, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Matches(message.Text, settings.Password))
        {
            await users.AuthorizeAsync(userId, cancellationToken).ConfigureAwait(false);
            await redis.TryAsync("password-attempts", db => db.KeyDeleteAsync(key)).ConfigureAwait(false);
            GatewayLog.PasswordAccepted(logger, userId);
            await replies.SendAsync(context, context.Text(TextKeys.PasswordAccepted), cancellationToken).ConfigureAwait(false);
            return;
        }

        var (counted, count) = await redis.TryAsync(
            "password-attempts",
            async db =>
            {
                var value = await db.StringIncrementAsync(key).ConfigureAwait(false);
                await db.KeyExpireAsync(key, settings.AttemptWindow, ExpireWhen.HasNoExpiry).ConfigureAwait(false);
                return value;
            },
            0L).ConfigureAwait(false);
        GatewayLog.PasswordRejected(logger, userId, count, settings.MaxAttempts);
        if (!counted)
        {
            await replies.SendAsync(context, context.Text(TextKeys.PasswordUnavailable), cancellationToken).ConfigureAwait(false);
        }
        else if (count >= settings.MaxAttempts)
        {
            await ReplyLockedAsync(context, settings.AttemptWindow, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await replies.SendAsync(context, context.Text(TextKeys.PasswordWrong, settings.MaxAttempts - count), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private Task<bool> ReplyLockedAsync(UpdateContext context, TimeSpan remaining, CancellationToken cancellationToken) =>
        replies.SendAsync(context, context.Text(TextKeys.PasswordLocked, Math.Max(1, (int)Math.Ceiling(remaining.TotalMinutes))), cancellationToken);

    // Hashing first gives both sides the same length, so the comparison time says nothing about the password.
    private static bool Matches(string? given, string? expected) =>
        given is not null && expected is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given.Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private async Task DeleteAsync(Message message, CancellationToken cancellationToken)
    {
        try
        {
            await telegram.Client().DeleteMessage(message.Chat.Id, checked((int)message.MessageId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RequestException or HttpRequestException or TimeoutException)
        {
            var reason = exception.GetType().Name;
            GatewayLog.PasswordMessageNotDeleted(logger, message.Chat.Id, message.MessageId, reason);
        }
    }
}
