using Atlas.Gateway.Telegram.Ingest;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Gateway.Tests.Ingest;

/// <summary>The retries an update gets inside its chat's turn, on a fake clock: a few for any failure, unbounded while the broker is away.</summary>
public sealed class InTurnRetry
{
    [Fact]
    public async Task Any_failure_gets_three_short_retries_and_then_goes_back_to_the_caller()
    {
        var time = new FakeTimeProvider();
        var retry = new IngestRetry(time, NullLogger<IngestRetry>.Instance);
        var attempts = 0;

        var run = retry.RunAsync(7, () =>
        {
            attempts++;
            throw new InvalidOperationException("handler bug");
        }, CancellationToken.None);
        await AdvanceUntilDoneAsync(time, run);

        await FluentActions.Awaiting(() => run).Should().ThrowAsync<InvalidOperationException>();
        attempts.Should().Be(4, "the first attempt and three retries");
    }

    [Fact]
    public async Task An_unreachable_broker_is_waited_for_as_long_as_it_takes()
    {
        var time = new FakeTimeProvider();
        var retry = new IngestRetry(time, NullLogger<IngestRetry>.Instance);
        var attempts = 0;

        var run = retry.RunAsync(8, () =>
        {
            if (++attempts < 12)
            {
                throw new TransportUnavailableException("broker restarting");
            }

            return Task.CompletedTask;
        }, CancellationToken.None);
        await AdvanceUntilDoneAsync(time, run);

        await run;
        attempts.Should().Be(12);
    }

    [Fact]
    public async Task Cancellation_ends_the_wait_for_the_broker()
    {
        var time = new FakeTimeProvider();
        var retry = new IngestRetry(time, NullLogger<IngestRetry>.Instance);
        using var stopping = new CancellationTokenSource();

        var run = retry.RunAsync(9, () => throw new TransportUnavailableException("down"), stopping.Token);
        time.Advance(TimeSpan.FromSeconds(5));
        await stopping.CancelAsync();

        await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
    }

    // The retry's delays run on the fake clock: move it a second at a time until the run settles.
    private static async Task AdvanceUntilDoneAsync(FakeTimeProvider time, Task run)
    {
        for (var step = 0; step < 120 && !run.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        run.IsCompleted.Should().BeTrue("the retries should have settled within two minutes of fake time");
    }
}
