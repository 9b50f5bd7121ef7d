using Procexon.Messaging;

namespace Procexon.Retention.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<RetentionContext>("retentiondb");
        builder.Services.AddScoped<IDatabaseSeeder<RetentionContext>, RetentionRulesSeeder>();
        builder.AddServiceMessaging<RetentionContext>("retention");
        builder.AddServiceOpenApi();
        return builder;
    }
}
