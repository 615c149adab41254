using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Ingest;
using Atlas.Gateway.Telegram.Polling;
using Atlas.Gateway.Telegram.Webhook;
using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Gateway.Telegram.Mode;

/// <summary>What the receivers are doing now.</summary>
public sealed record TelegramModeStatus(TelegramMode Mode, string State, Uri? WebhookUrl);

/// <summary>
/// Owns which receiver runs. Polling: deleteWebhook (pending updates kept), then a <see cref="TelegramPoller"/> from
/// the saved offset. Webhook: setWebhook, retried in the background until Telegram agrees (the endpoint itself is
/// always mapped, so updates arriving during a switch are taken either way). A switch stops the old receiver first
/// (a poller hands its batch to the bus and saves its offset), stores the new mode in Redis so it outlives a
/// restart, then starts the new one. Registered after the bus so that, at shutdown, polling stops before the bus.
/// </summary>
internal sealed class TelegramModeCoordinator(
    IServiceProvider services, WebhookRegistrar registrar, TelegramModeStore store, IBusControl bus, IngestDrain drain,
    IOptions<TelegramOptions> options, IOptions<IngestOptions> ingestOptions,
    ILogger<TelegramModeCoordinator> logger) : BackgroundService
{
    private static readonly TimeSpan ModeLoadTimeout = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TelegramMode _mode = options.Value.Mode;
    private volatile string _state = "starting";
    private CancellationTokenSource? _session;
    private Task _sessionWork = Task.CompletedTask;
    private TelegramPoller? _poller;
    private CancellationToken _stopping;
    private bool _stopped;

    public TelegramModeStatus Status => new(_mode, _state, registrar.WebhookUrl);

    /// <summary>True when the mode can be used with this configuration (webhook mode needs WebhookBaseUrl).</summary>
    public bool CanUse(TelegramMode mode) => mode != TelegramMode.Webhook || registrar.WebhookUrl is not null;

    /// <summary>Stores <paramref name="mode"/> and switches to it. Throws <see cref="RedisException"/> (nothing changed) when it cannot be stored.</summary>
    public async Task<TelegramModeStatus> SwitchAsync(TelegramMode mode, CancellationToken cancellationToken)
    {
        if (!CanUse(mode))
        {
            throw new InvalidOperationException("Webhook mode needs Telegram:WebhookBaseUrl.");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await store.SaveAsync(mode).WaitAsync(ModeLoadTimeout, cancellationToken).ConfigureAwait(false);
            if (mode != _mode || _session is null)
            {
                GatewayLog.ModeSwitching(logger, _mode, mode);
                await LeaveAsync(cancellationToken).ConfigureAwait(false);
                Enter(mode);
            }

            return Status;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stops the receiver of the current mode (a poller hands its batch over and saves its offset), runs
    /// <paramref name="change"/> while none runs, and starts it again: polling from the saved offset, or setWebhook anew.
    /// A bot token rotation goes through here.
    /// </summary>
    public async Task RestartReceiverAsync(Action change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var running = _session is not null;
            await LeaveAsync(cancellationToken).ConfigureAwait(false);
            change();
            if (running && !_stopped)
            {
                Enter(_mode);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var mode = await InitialModeAsync(stoppingToken).ConfigureAwait(false);
        await _gate.WaitAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            if (_session is null)
            {
                Enter(mode);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The host may stop its services twice (the test host does): the second call finds nothing to do.
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
            await LeaveAsync(cancellationToken).ConfigureAwait(false);
            _state = "stopped";
        }
        finally
        {
            _gate.Release();
        }

        // Let the updates this process handed over be handled while the bus (which handlers publish on) still runs,
        // then stop the bus here: MassTransit's own hosted stop does not wait for its consumers before the host
        // moves on and disposes what they use.
        if (!await drain.WaitAsync(ingestOptions.Value.ShutdownDrainTimeout, cancellationToken).ConfigureAwait(false))
        {
            GatewayLog.ShutdownDrainIncomplete(logger, drain.Pending);
        }

        try
        {
            await bus.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // MassTransit can fail inside its own endpoint stop (seen as a NullReferenceException in ReceiveEndpoint.Stop
            // while the host tears down); the shutdown goes on, and MassTransit's hosted service stops the bus again.
            GatewayLog.BusStopFailed(logger, exception);
        }
    }

    // _gate is left to the GC (no wait handle is ever taken from it), so a late StopAsync still finds it usable.
    public override void Dispose()
    {
        _session?.Dispose();
        _poller?.Dispose();
        base.Dispose();
    }

    private async Task<TelegramMode> InitialModeAsync(CancellationToken stoppingToken)
    {
        var configured = options.Value.Mode;
        try
        {
            if (await store.LoadAsync().WaitAsync(ModeLoadTimeout, stoppingToken).ConfigureAwait(false) is { } stored && stored != configured)
            {
                if (CanUse(stored))
                {
                    GatewayLog.StoredModeOverridesConfiguration(logger, stored, configured);
                    return stored;
                }

                GatewayLog.StoredModeUnusable(logger, stored);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            GatewayLog.ModeNotLoaded(logger, configured, exception.GetType().Name);
        }

        return configured;
    }

    // Caller holds _gate.
    private void Enter(TelegramMode mode)
    {
        _mode = mode;
        _session = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        _sessionWork = mode == TelegramMode.Polling ? StartPollingAsync(_session.Token) : RegisterWebhookAsync(_session.Token);
        GatewayLog.ModeEntered(logger, mode);
    }

    // Caller holds _gate. Stops the current receiver: a poller finishes handing its batch over and saves its offset.
    private async Task LeaveAsync(CancellationToken cancellationToken)
    {
        if (_session is null)
        {
            return;
        }

        await _session.CancelAsync().ConfigureAwait(false);
        await _sessionWork.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _session.Dispose();
        _session = null;
        if (_poller is { } poller)
        {
            _state = "stopping-poller";
            await poller.StopAsync(cancellationToken).ConfigureAwait(false);
            poller.Dispose();
            _poller = null;
        }
    }

    private async Task StartPollingAsync(CancellationToken cancellationToken)
    {
        // A webhook left from an earlier run (or from before the switch) makes every getUpdates fail with 409.
        _state = "removing-webhook";
        await registrar.RemoveAsync(cancellationToken).ConfigureAwait(false);
        var poller = ActivatorUtilities.CreateInstance<TelegramPoller>(services);
        _poller = poller;
        await poller.StartAsync(CancellationToken.None).ConfigureAwait(false);
        _state = "polling";
    }

    private async Task RegisterWebhookAsync(CancellationToken cancellationToken)
    {
        _state = "registering-webhook";
        await registrar.RegisterAsync(cancellationToken).ConfigureAwait(false);
        _state = "webhook";
    }
}
