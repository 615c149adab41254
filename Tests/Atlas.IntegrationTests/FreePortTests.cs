using System.Net;
using System.Net.Sockets;
using Atlas.AppHost.Hosting;

namespace Atlas.IntegrationTests;

/// <summary>
/// Ports for servers that bind them seconds later come from below the kernel's ephemeral range, so no outgoing
/// connection can take one in the meantime; each is free when handed out and never handed out twice.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void Ports_are_free_distinct_and_below_the_ephemeral_range()
    {
        FreePort.EphemeralRangeStart.Should().BeGreaterThan(FreePort.Lowest + 1000, "this machine's ephemeral range leaves room below it");
        var ports = Enumerable.Range(0, 20).Select(_ => FreePort.Next()).ToList();

        ports.Should().OnlyHaveUniqueItems();
        ports.Should().OnlyContain(p => p >= FreePort.Lowest && p < FreePort.EphemeralRangeStart);
        foreach (var port in ports)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }

    [Fact]
    public void A_port_in_use_is_not_free_and_the_next_one_handed_out_is_another()
    {
        var port = FreePort.Next();
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;

        FreePort.IsFree(taken).Should().BeFalse("something listens on it");
        FreePort.IsFree(port).Should().BeFalse("it was handed out already");
        FreePort.Next().Should().NotBe(port);
    }
}
