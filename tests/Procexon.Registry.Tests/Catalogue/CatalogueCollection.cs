namespace Procexon.Registry.Tests.Catalogue;

/// <summary>
/// The catalogue tests edit registers, so they run on a Registry of their own: other collections keep reading the
/// catalogue exactly as seeded.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CatalogueCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "Catalogue editing on its own real PostgreSQL and RabbitMQ";
}
