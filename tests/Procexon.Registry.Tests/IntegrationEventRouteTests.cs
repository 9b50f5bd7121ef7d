using Procexon.Testing;

namespace Procexon.Registry.Tests;

/// <summary>
/// The service's broker user may bind from exactly the event exchanges IntegrationEventRoutes lists for it: a consumer
/// of another event would find no right to its exchange in a deployment, so the list and the consumers must agree.
/// (What it publishes is checked where it happens: its outbox refuses an event the routes do not give it.)
/// </summary>
[Trait("Category", "Unit")]
public sealed class IntegrationEventRouteTests
{
    [Fact]
    public void The_service_consumes_exactly_the_events_its_routes_give_it() =>
        Assert.Equal(IntegrationEventRouteChecks.RoutedTo("registry"), IntegrationEventRouteChecks.ConsumedBy(typeof(Procexon.Registry.Infrastructure.RegistryContext).Assembly));
}
