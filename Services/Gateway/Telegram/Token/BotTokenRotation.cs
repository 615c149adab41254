using System.Text.RegularExpressions;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Client;
using Atlas.Gateway.Telegram.Mode;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Atlas.Gateway.Telegram.Token;

/// <summary>What became of a rotation request; <see cref="Detail"/> is safe to show (it never holds a token).</summary>
internal sealed record BotTokenRotationResult(BotTokenRotationOutcome Outcome, string Detail, long? BotId = null);

internal enum BotTokenRotationOutcome
{
    Rotated,
    Unchanged,
    Invalid,
    Refused,
    Unreachable,
    NotStored,
}

/// <summary>
/// Switches the gateway to a new bot token (runbook "rotate the bot token"): the token must have Telegram's shape and
/// belong to the same bot, and Telegram must accept it (getMe) before anything changes. It is then kept in
/// <see cref="RotatedTokenFile"/> and the receivers restart with it under the mode coordinator's lock: a poller hands
/// its batch over and saves its offset first, the new one goes on from that offset; in webhook mode setWebhook is
/// called again with the new token (same URL, same secret). Every later call, the outbound sender's included, uses it.
/// </summary>
internal sealed partial class BotTokenRotation(
    BotTokenSource tokens, RotatedTokenFile file, TelegramBot telegram, TelegramModeCoordinator coordinator, TimeProvider time,
    ILogger<BotTokenRotation> logger) : IDisposable
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<BotTokenRotationResult> RotateAsync(string? newToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(newToken) || !Shape().IsMatch(newToken))
        {
            return new(BotTokenRotationOutcome.Invalid, "The new token must have Telegram's shape: the bot id, a colon, then A-Z a-z 0-9 _ - only.");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = tokens.Current;
            var botId = BotTokenSource.BotIdOf(newToken);
            if (newToken == current)
            {
                return new(BotTokenRotationOutcome.Unchanged, "The gateway uses this token already.", botId);
            }

            if (BotTokenSource.BotIdOf(current) is { } currentId && currentId != botId)
            {
                return new(BotTokenRotationOutcome.Invalid, $"The new token belongs to another bot; this gateway's bot is {currentId}.");
            }

            if (await CheckAsync(newToken, botId, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                GatewayLog.TokenRotationRejected(logger, botId, problem.Outcome.ToString());
                return problem;
            }

            try
            {
                await file.SaveAsync(newToken, tokens.Configured, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                GatewayLog.TokenRotationRejected(logger, botId, exception.GetType().Name);
                return new(BotTokenRotationOutcome.NotStored,
                    $"The new token could not be written to Telegram:RotatedTokenFile ({exception.GetType().Name}), so nothing was changed.");
            }

            await coordinator.RestartReceiverAsync(() => tokens.Use(newToken), cancellationToken).ConfigureAwait(false);
            GatewayLog.TokenRotated(logger, botId, coordinator.Status.Mode, file.Path is not null);
            return new(BotTokenRotationOutcome.Rotated, $"The gateway uses the new token; receivers restarted in {coordinator.Status.Mode} mode.", botId);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    // getMe with the new token: Telegram must know it, and as the same bot.
    private async Task<BotTokenRotationResult?> CheckAsync(string token, long? botId, CancellationToken cancellationToken)
    {
        try
        {
            var me = await telegram.Client(token, CheckTimeout).GetMe(cancellationToken).ConfigureAwait(false);
            return botId is { } id && me.Id != id
                ? new(BotTokenRotationOutcome.Invalid, $"Telegram answered as bot {me.Id}, not {id}.")
                : null;
        }
        catch (ApiRequestException exception) when (exception.ErrorCode is 401 or 404)
        {
            return new(BotTokenRotationOutcome.Refused, $"Telegram does not accept the new token (getMe: {exception.ErrorCode}), so nothing was changed.");
        }
        catch (Exception exception) when (exception is ApiRequestException or RequestException or HttpRequestException or TimeoutException or TaskCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            return new(BotTokenRotationOutcome.Unreachable, $"Telegram could not confirm the new token ({exception.Describe()}), so nothing was changed; try again.");
        }
    }

    [GeneratedRegex("^[0-9]{1,20}:[A-Za-z0-9_-]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
