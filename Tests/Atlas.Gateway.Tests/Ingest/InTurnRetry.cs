using Atlas.Gateway.Telegram.Ingest;
using Atlas.Testing;
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

    // The retry's delays run on the fake clock: move it a second at a time, giving the retry's continuations time to
    // run between the steps (a bare yield did not on a loaded machine: 120 steps passed before the first retry ran).
    private static Task<bool> AdvanceUntilDoneAsync(FakeTimeProvider time, Task run) =>
        Eventually.PollAsync(
            () =>
            {
                if (!run.IsCompleted)
                {
                    time.Advance(TimeSpan.FromSeconds(1));
                }

                return Task.FromResult(run.IsCompleted);
            },
            settled => settled,
            TimeSpan.FromSeconds(30));
}
