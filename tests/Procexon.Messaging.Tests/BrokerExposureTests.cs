using System.Globalization;
using System.Net;
using Procexon.Testing;

namespace Procexon.Messaging.Tests;

/// <summary>What the broker's node opens to the network: its Erlang distribution port answers on loopback only.</summary>
[Collection(MessagingCollection.Name)]
public sealed class BrokerExposureTests(MessagingFixture fixture)
{
    private const string Listen = "0A";

    [Fact]
    public void The_brokers_erlang_distribution_port_listens_on_loopback_only()
    {
        if (fixture.Broker.DistributionPort is not { } port)
        {
            // A container does not publish its distribution port: nothing on this host listens on it.
            Assert.True(TestServers.UseContainers);
            return;
        }

        // epmd (4369) is not asserted: the machine's epmd may have been started by another node or by the package.
        var listening = ListeningSockets().Where(socket => socket.Port == port).ToList();

        Assert.NotEmpty(listening);
        Assert.All(listening, socket => Assert.True(IsLoopback(socket.Address), $"The distribution port {port} listens on {socket.Address}."));
    }

    /// <summary>Listening TCP sockets of this network namespace, as the kernel lists them (what <c>ss -ltn</c> reads).</summary>
    private static IEnumerable<(IPAddress Address, int Port)> ListeningSockets() =>
        from table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }
        where File.Exists(table)
        from line in File.ReadLines(table).Skip(1)
        let columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        where columns[3] == Listen
        let local = columns[1].Split(':')
        select (Address(local[0]), int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    /// <summary>The kernel writes an address as 32-bit words in host order (little-endian here), each in hex.</summary>
    private static IPAddress Address(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        return new IPAddress(bytes);
    }

    private static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
