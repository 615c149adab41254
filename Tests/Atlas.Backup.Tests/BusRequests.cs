using Atlas.Backup.Tests.Support;
using Atlas.Contracts.Backup;
using Atlas.Testing;
using MassTransit;

namespace Atlas.Backup.Tests;

/// <summary>BackupRequested on the bus answers with BackupCompleted or BackupFailed, once per request id.</summary>
public sealed class BusRequests
{
    [Fact]
    public async Task A_request_is_answered_with_completed_and_a_redelivery_does_not_back_up_again()
    {
        await using var world = await BackupWorld.StartAsync("busrequest");
        await world.ExecuteAsync("CREATE TABLE t (id int); INSERT INTO t VALUES (1);");
        await using var bus = await TestBus.StartAsync(world.Resources.RabbitMq);
        var completed = new TaskCompletionSource<BackupCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = bus.Bus.ConnectReceiveEndpoint("backup-tests-completed", e => e.Handler<BackupCompleted>(c =>
        {
            completed.TrySetResult(c.Message);
            return Task.CompletedTask;
        }));
        await handle.Ready;
        var request = new BackupRequested(Guid.NewGuid(), "gatewaydb", "tests");

        await bus.Bus.Publish(request);
        var answer = await completed.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await bus.Bus.Publish(request);
        await Eventually.PollAsync(() => world.ScalarAsync<int>(
            $"SELECT deliveries FROM backup_requests WHERE request_id = '{request.RequestId}'", world.Resources.Database), d => d == 2);

        answer.RequestId.Should().Be(request.RequestId);
        answer.Target.Should().Be("gatewaydb");
        answer.SizeBytes.Should().BePositive();
        (await world.ScalarAsync<long>("SELECT count(*) FROM backup_catalog WHERE target = 'gatewaydb'", world.Resources.Database))
            .Should().Be(1, "the redelivered request was recognised and not run again");
    }

    [Fact]
    public async Task A_request_for_an_unknown_target_is_answered_with_failed_and_the_reason()
    {
        await using var world = await BackupWorld.StartAsync("busfailed");
        await using var bus = await TestBus.StartAsync(world.Resources.RabbitMq);
        var failed = new TaskCompletionSource<BackupFailed>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = bus.Bus.ConnectReceiveEndpoint("backup-tests-failed", e => e.Handler<BackupFailed>(c =>
        {
            failed.TrySetResult(c.Message);
            return Task.CompletedTask;
        }));
        await handle.Ready;

        await bus.Bus.Publish(new BackupRequested(Guid.NewGuid(), "nosuchdb", "tests"));
        var answer = await failed.Task.WaitAsync(TimeSpan.FromSeconds(60));

        answer.Reason.Should().Contain("Unknown backup target 'nosuchdb'").And.Contain("gatewaydb");
    }
}
