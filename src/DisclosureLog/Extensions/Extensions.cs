using Procexon.Messaging;

namespace Procexon.DisclosureLog.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<DisclosureLogContext>("disclosurelogdb");
        builder.Services.AddScoped<IDatabaseSeeder<DisclosureLogContext>, RecipientsSeeder>();
        builder.AddServiceMessaging<DisclosureLogContext>("disclosurelog");
        builder.AddServiceOpenApi();
        return builder;
    }
}
