using System.Collections.Concurrent;
using System.Diagnostics;
using Atlas.Gateway.Outbound;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>A reply is sent long after the work that queued it ended, yet its send is a span of that work's trace.</summary>
public sealed class OutboundTracing(OutboundSandbox fixture) : IClassFixture<OutboundSandbox>
{
    private const long ChatId = 917_311;

    [Fact]
    public async Task A_queued_message_is_sent_in_the_trace_of_the_work_that_queued_it()
    {
        var sends = new ConcurrentQueue<Activity>();
        using var work = new ActivitySource("Atlas.Gateway.Tests.Work");
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Atlas.Gateway" || source == work,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "telegram sendMessage" && Equals(activity.GetTagItem("telegram.chat_id"), ChatId))
                {
                    sends.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var scenario = await OutboundScenario.StartAsync(fixture, OutboundScenario.Fast(), SandboxLimits.Unlimited);
        await scenario.AddChatsAsync(ChatId);

        ActivityTraceId traceId;
        using (var handling = work.StartActivity("handle update"))
        {
            traceId = handling!.TraceId;
            (await scenario.Outbox.EnqueueAsync(new OutboundMessage("trace:1", ChatId, "traced reply"), CancellationToken.None)).Should().BeTrue();
        }

        await scenario.WaitForDeliveredAsync(1);
        await Eventually.PollAsync(() => Task.FromResult(sends.Count), count => count > 0, TimeSpan.FromSeconds(30));
        sends.Should().ContainSingle().Which.TraceId.Should().Be(traceId, "the send continues the trace of the work that queued it");
    }
}
