using System.Reflection;
using MassTransit;
using Procexon.Contracts;

namespace Procexon.Testing;

/// <summary>A service's consumers against <see cref="IntegrationEventRoutes"/>, which its broker user's read rights are made from.</summary>
public static class IntegrationEventRouteChecks
{
    /// <summary>The message types the assembly's consumers consume, by name.</summary>
    public static IReadOnlyList<string> ConsumedBy(Assembly service) =>
    [
        .. service.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .Select(m => m.Name).Distinct().Order(StringComparer.Ordinal),
    ];

    /// <summary>What the routes say the service consumes, by name.</summary>
    public static IReadOnlyList<string> RoutedTo(string service) =>
        [.. IntegrationEventRoutes.ByService[service].Consumes.Select(m => m.Name).Order(StringComparer.Ordinal)];
}
