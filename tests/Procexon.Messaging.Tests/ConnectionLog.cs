using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using IHost = Microsoft.Extensions.Hosting.IHost;

namespace Procexon.Messaging.Tests;

/// <summary>
/// What a notes service's bus did with its connections, kept in memory, so a test of the broker's death can say in its
/// failure what the process saw (the CI output is all there is of a run that failed once).
/// </summary>
public static class ConnectionLog
{
    /// <summary>What MassTransit says of its connections and of the receive endpoints' channels and consumers.</summary>
    private static readonly string[] s_connectionEvents = ["onnect", "host", "Endpoint", "Consumer Ok", "Shutdown", "Retrying", "Cannot Retry", "faulted"];

    /// <summary>
    /// Keeps the service's log in memory: its warnings, and MassTransit's connects and disconnects, which are debug
    /// messages (not each message sent or received).
    /// </summary>
    public static IServiceCollection AddConnectionLog(this IServiceCollection services) =>
        services.AddLogging(logging => logging.AddFakeLogging()
            .AddFilter<FakeLoggerProvider>("MassTransit", LogLevel.Debug)
            .AddFilter<FakeLoggerProvider>("MassTransit.Messages", LogLevel.Warning));

    /// <summary>The service's log since its start, newest last: what its connections, consumers and outbox did.</summary>
    public static string RecentConnectionLog(this IHost host, int lines) => string.Join('\n', host.Services.GetFakeLogCollector().GetSnapshot()
        .Where(r => r.Level >= LogLevel.Warning
            || r.Category?.StartsWith("Procexon.Messaging.Outbox", StringComparison.Ordinal) == true
            || (r.Category is "MassTransit" or "MassTransit.ReceiveTransport" && s_connectionEvents.Any(e => r.Message.Contains(e, StringComparison.OrdinalIgnoreCase))))
        .TakeLast(lines)
        .Select(r => $"{r.Timestamp:HH:mm:ss.fff} {r.Level} {r.Category}: {r.Message}{(r.Exception is null ? "" : $" ({r.Exception.GetType().Name}: {r.Exception.Message})")}"));
}
