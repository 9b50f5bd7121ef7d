using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RabbitMQ.Client;

namespace Procexon.Testing;

/// <summary>
/// Three of Debian's RabbitMQ nodes clustered on loopback, as the AppHost runs them with <c>Broker:Nodes=3</c>: the
/// same script (<c>scripts/servers/rabbitmq.sh</c>) with every node's port listed, free ports, unique node names, a
/// cookie generated for this cluster alone. A node can be killed with SIGKILL and started again on its folder.
/// </summary>
public sealed class RabbitMqCluster : IAsyncDisposable
{
    private static readonly string Password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly string _cookie = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private readonly string _directory = TestServers.CreateTemporaryDirectory("rmq-cluster");
    private readonly List<(int Amqp, int Distribution, LocalServerProcess Process)> _nodes = [];

    private RabbitMqCluster()
    {
        var ports = Enumerable.Range(0, 3).Select(_ => (Amqp: FreePort.Next(), Distribution: FreePort.Next())).ToList();
        var clusterPorts = string.Join(' ', ports.Select(p => p.Amqp.ToString(CultureInfo.InvariantCulture)));
        for (var i = 0; i < ports.Count; i++)
        {
            var (amqp, distribution) = ports[i];
            _nodes.Add((amqp, distribution, new LocalServerProcess(
                $"RabbitMQ cluster node {i + 1} on port {amqp}",
                RepositoryPaths.ServerScript("rabbitmq.sh"),
                [NodeDirectory(i), amqp.ToString(CultureInfo.InvariantCulture), distribution.ToString(CultureInfo.InvariantCulture), "0"],
                new Dictionary<string, string>
                {
                    ["RABBITMQ_PASSWORD"] = Password,
                    ["RABBITMQ_CLUSTER_PORTS"] = clusterPorts,
                    ["RABBITMQ_CLUSTER_COOKIE"] = _cookie,
                })));
        }
    }

    /// <summary>The first node, which a connection string names (the others are in <see cref="NodeAddresses"/>).</summary>
    public Uri Uri => new($"amqp://procexon:{Password}@127.0.0.1:{_nodes[0].Amqp}");

    /// <summary>Every node's <c>host:port</c>, as the AppHost gives them to a process (<c>Messaging:Nodes</c>).</summary>
    public string NodeAddresses => string.Join(',', _nodes.Select(n => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{n.Amqp}")));

    /// <summary>The Erlang node names, in the order of <see cref="NodeAddresses"/>.</summary>
    public IReadOnlyList<string> NodeNames => [.. _nodes.Select(n => string.Create(CultureInfo.InvariantCulture, $"procexon-{n.Amqp}@localhost"))];

    /// <summary>Starts the three nodes together and waits until each accepts connections (the second and third have joined by then).</summary>
    public static async Task<RabbitMqCluster> StartAsync()
    {
        var cluster = new RabbitMqCluster();
        foreach (var node in cluster._nodes)
        {
            node.Process.Start();
        }

        await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.WaitUntilReadyAsync));
        return cluster;
    }

    /// <summary>Kills node <paramref name="index"/> as a crash would (SIGKILL to its Erlang VM).</summary>
    public Task KillAsync(int index) =>
        _nodes[index].Process.StopAsync(kill: true, pidFile: Path.Combine(NodeDirectory(index), "rabbitmq.pid"));

    /// <summary>Starts node <paramref name="index"/> again on its folder: it rejoins the cluster by itself.</summary>
    public async Task RestartAsync(int index)
    {
        _nodes[index].Process.Start();
        await WaitUntilReadyAsync(index);
    }

    /// <summary>The last <paramref name="lines"/> lines node <paramref name="index"/> printed (its warnings and errors), for a failure's message.</summary>
    public string NodeLog(int index, int lines) =>
        string.Join('\n', _nodes[index].Process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));

    /// <summary>The cluster's quorum queues as node <paramref name="index"/> lists them (<c>rabbitmqctl list_queues</c>).</summary>
    public async Task<List<QuorumQueue>> QuorumQueuesAsync(int index)
    {
        var json = await RabbitMqCtlAsync(index, "list_queues", "--quiet", "--formatter", "json", "name", "type", "leader", "members", "online");
        using var document = JsonDocument.Parse(json);
        return
        [
            .. from queue in document.RootElement.EnumerateArray()
               where queue.GetProperty("type").GetString() == "quorum"
               select new QuorumQueue(
                   queue.GetProperty("name").GetString()!,
                   queue.GetProperty("leader").GetString()!,
                   [.. queue.GetProperty("members").EnumerateArray().Select(m => m.GetString()!)],
                   [.. queue.GetProperty("online").EnumerateArray().Select(m => m.GetString()!)]),
        ];
    }

    /// <summary>
    /// The cluster's queues (with their type, leader, messages and consumers) and bindings as node <paramref name="index"/> lists them, for
    /// a failure's message: what a publish may be routed to.
    /// </summary>
    public async Task<string> DescribeAsync(int index)
    {
        var queues = await RabbitMqCtlAsync(index, "list_queues", "--quiet", "name", "type", "pid", "leader", "online", "messages", "messages_unacknowledged", "consumers", "durable", "auto_delete");
        var bindings = await RabbitMqCtlAsync(index, "list_bindings", "--quiet", "source_name", "destination_name", "destination_kind");
        return $"queues:\n{queues}bindings:\n{bindings}";
    }

    /// <summary>
    /// Debian's <c>rabbitmqctl</c> against node <paramref name="index"/>, with the cluster's cookie in a home of its own
    /// (never on the command line, where any user of the machine could read it).
    /// </summary>
    private async Task<string> RabbitMqCtlAsync(int index, params string[] arguments)
    {
        var home = TestServers.CreateTemporaryDirectory("rmq-ctl");
        try
        {
            var cookieFile = Path.Combine(home, ".erlang.cookie");
            await File.WriteAllTextAsync(cookieFile, _cookie);
            if (!OperatingSystem.IsWindows())
            {
                // Erlang refuses a cookie file that others may read.
                File.SetUnixFileMode(cookieFile, UnixFileMode.UserRead);
            }

            var start = new ProcessStartInfo("/usr/lib/rabbitmq/bin/rabbitmqctl")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["HOME"] = home;
            // The tool's own Erlang node listens on loopback only, as the servers' do.
            start.Environment["RABBITMQ_CTL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
            foreach (var argument in (string[])["-n", NodeNames[index], .. arguments])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} on {NodeNames[index]} exited with {process.ExitCode}: {await stderr}");
            }

            return await stdout;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private string NodeDirectory(int index) => Path.Combine(_directory, $"node{index + 1}");

    private Task WaitUntilReadyAsync(int index) => _nodes[index].Process.WaitUntilReadyAsync(async cancellationToken =>
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri($"amqp://procexon:{Password}@127.0.0.1:{_nodes[index].Amqp}"),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
        };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        return connection.IsOpen;
    }, TimeSpan.FromMinutes(3));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.Process.DisposeAsync();
        }

        PostgresServer.TryDelete(_directory);
    }
}

/// <summary>A quorum queue's leader, members and the members that are running.</summary>
public sealed record QuorumQueue(string Name, string Leader, IReadOnlyList<string> Members, IReadOnlyList<string> Online);
