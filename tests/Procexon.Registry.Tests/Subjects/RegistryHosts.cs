using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Procexon.Messaging;
using Procexon.Registry.Extensions;
using Procexon.Registry.Infrastructure;

namespace Procexon.Registry.Tests.Subjects;

/// <summary>A Registry host on a database of its own, built but not started: tests start its migrator alone.</summary>
public static class RegistryHosts
{
    public static IHost Build(RegistryFixture fixture, string database, string encryptionKey, Dictionary<string, string?>? settings = null)
    {
        var registry = Host.CreateApplicationBuilder();
        registry.Configuration.AddInMemoryCollection(fixture.Identity.ValidationSettings);
        registry.Configuration.AddInMemoryCollection(fixture.ServiceSettings(database, encryptionKey: encryptionKey));
        registry.Configuration["Logging:LogLevel:Default"] = "Warning";
        registry.Configuration.AddInMemoryCollection(settings ?? []);
        registry.AddApplicationServices();
        return registry.Build();
    }

    // The migrator alone, not every hosted service: resolving those would build a bus for a host that never starts.
    public static ServiceDatabaseMigrator<RegistryContext> MigratorOf(IHost host) =>
        host.Services.GetRequiredService<ServiceDatabaseMigrator<RegistryContext>>();
}
