using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Procexon.ServiceDefaults.Security;

namespace Procexon.Testing;

/// <summary>
/// A service hosted in a test as its <c>Program.cs</c> hosts it: the same defaults and authentication, on 127.0.0.1 at a
/// free port, its settings from the fixture, tokens validated against the test's identity provider, warnings only in
/// the log, and started only once its bus is (so its queues exist before the first publish).
/// </summary>
public static class ServiceHosts
{
    /// <summary>
    /// The key every service of the test process seals personal values on the broker with, as the AppHost gives one
    /// secret to all of them; a fixture's own settings may set another or none.
    /// </summary>
    public static string TransitKey { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <param name="service">A type from the service's assembly: its name is the application's.</param>
    /// <param name="clock">The service's only clock, registered before its own registrations, which add the system clock only when none is there.</param>
    public static WebApplicationBuilder CreateBuilder(
        Type service, IReadOnlyDictionary<string, string?> settings, IdentityProvider? identity, TimeProvider? clock = null, string? environment = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = service.Assembly.GetName().Name,
            EnvironmentName = environment ?? Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Messaging:TransitKey"] = TransitKey,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        if (identity is not null)
        {
            builder.Configuration.AddInMemoryCollection(identity.ValidationSettings);
        }

        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.AddServiceDefaults();
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        return builder;
    }

    /// <summary>Builds the app with authentication before every endpoint and the default endpoints, and maps the service's APIs.</summary>
    public static WebApplication Build(this WebApplicationBuilder builder, Action<WebApplication> mapApis)
    {
        var app = builder.Build();
        app.UseDefaultAuthentication();
        app.MapDefaultEndpoints();
        mapApis(app);
        return app;
    }

    /// <summary>Builds as <see cref="Build"/> does, and starts the app.</summary>
    public static async Task<WebApplication> StartAsync(this WebApplicationBuilder builder, Action<WebApplication> mapApis)
    {
        var app = builder.Build(mapApis);
        await app.StartAsync();
        return app;
    }
}
