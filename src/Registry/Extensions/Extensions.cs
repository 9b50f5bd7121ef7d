using Procexon.Messaging;

namespace Procexon.Registry.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<RegistryContext>("registrydb");
        builder.Services.AddScoped<IDatabaseSeeder<RegistryContext>, CatalogueSeeder>();
        builder.AddServiceMessaging<RegistryContext>("registry");
        builder.AddServiceOpenApi();
        return builder;
    }
}
