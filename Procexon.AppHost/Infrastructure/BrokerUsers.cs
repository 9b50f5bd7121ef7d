using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Procexon.Contracts;

namespace Procexon.AppHost.Infrastructure;

/// <summary>
/// Each process connects to RabbitMQ as a user of its own, with rights on the names it uses and no others (DESIGN §10,
/// the security review's item 5). The administrator stays the AppHost's, for its health check. The users are given to
/// the broker as a definitions file it loads at every start (<c>load_definitions</c>), with salted SHA-256 password
/// hashes, so no password is ever set over a management API.
/// </summary>
public static class BrokerUsers
{
    public const string Administrator = "procexon";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>What a user may declare (configure), send to (write) and consume or bind from (read), as regular expressions.</summary>
    public sealed record Permissions(string Configure, string Write, string Read);

    /// <summary>
    /// A service: its own queues and exchanges (named <c>{service}-…</c> by the endpoint name formatter), MassTransit's
    /// fault exchanges and its bus's temporary queue, and of the event exchanges (<c>Procexon.Contracts:…</c>) exactly
    /// those <see cref="IntegrationEventRoutes"/> gives it: it may write to the events it publishes and bind from those it
    /// consumes, and declare both, so it can neither forge another service's event nor listen to events meant for others.
    /// The disclosure log also sends to every recipient's queue and reads their confirmation exchanges.
    /// </summary>
    public static Permissions ForService(string service)
    {
        const string shared = @"MassTransit:.*|.*_bus_.*";
        var own = $"{Escape(service)}-.*";
        var routes = IntegrationEventRoutes.ByService.TryGetValue(service, out var known) ? known
            : throw new InvalidOperationException($"{service} has no routes in IntegrationEventRoutes, so no broker rights.");
        var publishes = Exchanges(routes.Publishes);
        var consumes = Exchanges(routes.Consumes);
        var (recipients, confirmations) = service == "disclosurelog" ? ("|recipient-.*", "|recipient-.*-confirmations") : ("", "");
        return new Permissions(
            Configure: $"^({own}|{shared}|{publishes}|{consumes}{recipients})$",
            Write: $"^({own}|{shared}|{publishes}{recipients})$",
            Read: $"^({own}|{shared}|{consumes}{confirmations})$");
    }

    private static string Exchanges(IEnumerable<Type> events) => string.Join('|', events.Select(e => Escape(IntegrationEventRoutes.ExchangeOf(e))));

    /// <summary>
    /// A recipient's processor: its own queue (and its error and skipped queues), its own confirmation exchange, its
    /// bus's temporary queue and the fault exchanges; it may read its own queue only, so neither another recipient's
    /// events nor any internal one.
    /// </summary>
    public static Permissions ForProcessor(string recipient)
    {
        var queue = Escape($"recipient-{recipient}");
        var declares = $"^({queue}|{queue}_error|{queue}_skipped|{queue}-confirmations|.*_bus_.*|MassTransit:Fault--.*)$";
        return new Permissions(declares, declares, $"^({queue}|.*_bus_.*)$");
    }

    /// <summary>The broker's definitions: the administrator and each process's user with its permissions on the default vhost.</summary>
    public static string Definitions(string administratorPassword, IEnumerable<(string User, string Password, Permissions Permissions)> users)
    {
        var all = users.ToList();
        var definitions = new
        {
            users = all.Select(u => new { name = u.User, password_hash = Hash(u.Password), hashing_algorithm = "rabbit_password_hashing_sha256", tags = "" })
                .Prepend(new { name = Administrator, password_hash = Hash(administratorPassword), hashing_algorithm = "rabbit_password_hashing_sha256", tags = "administrator" }),
            vhosts = new[] { new { name = "/" } },
            permissions = all.Select(u => new { user = u.User, vhost = "/", configure = u.Permissions.Configure, write = u.Permissions.Write, read = u.Permissions.Read })
                .Prepend(new { user = Administrator, vhost = "/", configure = ".*", write = ".*", read = ".*" }),
        };
        return JsonSerializer.Serialize(definitions, s_json);
    }

    /// <summary>RabbitMQ's <c>rabbit_password_hashing_sha256</c>: base64 of a 4-byte salt followed by SHA-256(salt ‖ password).</summary>
    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(4);
        var hash = SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(password)]);
        return Convert.ToBase64String([.. salt, .. hash]);
    }

    private static string Escape(string name) => System.Text.RegularExpressions.Regex.Escape(name);
}
