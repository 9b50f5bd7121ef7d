namespace Procexon.AppHost.Infrastructure;

public sealed class InfrastructureOptions
{
    /// <summary><c>auto</c>, <c>container</c> or <c>executable</c>.</summary>
    public string Mode { get; set; } = "auto";

    /// <summary>Where the local servers keep their data; empty means the repository's git-ignored <c>.data</c> folder.</summary>
    public string DataDirectory { get; set; } = "";

    // Away from the defaults (5432, 5672, 25672, 15672), so a system install on the same machine does not collide.
    public int PostgresPort { get; set; } = 55432;

    public int RabbitMqPort { get; set; } = 55672;

    public int RabbitMqDistributionPort { get; set; } = 55673;

    /// <summary>0 leaves the management UI off (faster start in tests).</summary>
    public int RabbitMqManagementPort { get; set; } = 55674;
}

/// <summary>The broker's shape (<c>Broker:…</c>): one node, or a cluster of nodes on this machine (DESIGN §7).</summary>
public sealed class BrokerOptions
{
    /// <summary>
    /// How many RabbitMQ nodes: 1 (the default), or 3 clustered with quorum queues replicated over them, so the broker
    /// survives losing any one node. Only with the local servers (<c>Infrastructure:Mode=executable</c>).
    /// </summary>
    public int Nodes { get; set; } = 1;

    /// <summary>
    /// The AMQP and Erlang distribution ports of the nodes after the first, <c>AMQP:DIST</c> each; where missing, the
    /// first node's ports plus 10 for each node after it (55682:55683, 55692:55693).
    /// </summary>
    public List<string> Ports { get; set; } = [];
}
