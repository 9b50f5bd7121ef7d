using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.FluentUI.AspNetCore.Components;
using Procexon.Console.Components;

namespace Procexon.Console.Extensions;

public static class ConsoleExtensions
{
    /// <summary>
    /// Blazor with interactive server rendering and Fluent UI, Finnish and English, sign-in at the platform's identity
    /// provider, and the API client that carries the user's token.
    /// </summary>
    public static IHostApplicationBuilder AddConsoleServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddFluentUIComponents();
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture(ConsoleCultures.Supported[0]);
            options.SupportedCultures = ConsoleCultures.Cultures;
            options.SupportedUICultures = ConsoleCultures.Cultures;
            // The cookie the header's switch sets, then nothing else: not the browser's Accept-Language, so the console
            // opens in Finnish until the user says otherwise.
            options.RequestCultureProviders = [new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider()];
        });
        builder.Services.AddAntiforgery(options => options.Cookie.Name = "procexon.console.antiforgery");
        builder.AddConsoleAuthentication();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CircuitServices>();
        builder.Services.AddScoped<CircuitHandler, CircuitServicesHandler>();
        builder.Services.AddTransient<AccessTokenHandler>();
        builder.Services.AddHttpClient<RequestsApi>((services, http) =>
                http.BaseAddress = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Authentication.ConsoleOptions>>().Value.PublicAddress)
            .AddHttpMessageHandler<AccessTokenHandler>();
        builder.Services.AddHttpClient<RetentionApi>(ToGateway).AddHttpMessageHandler<AccessTokenHandler>();
        builder.Services.AddHttpClient<DisclosuresApi>(ToGateway).AddHttpMessageHandler<AccessTokenHandler>();
        builder.Services.AddHttpClient<AuditApi>(ToGateway).AddHttpMessageHandler<AccessTokenHandler>();
        builder.Services.AddHttpClient<CatalogueApi>(ToGateway).AddHttpMessageHandler<AccessTokenHandler>();
        builder.Services.AddHttpClient<SubjectsApi>(ToGateway)
            .AddHttpMessageHandler<AccessTokenHandler>()
            // A subject merged away answers 301: followed, the call would reach the survivor without the token (HttpClient drops
            // it on a redirect) and be refused; the page shows where the subject went instead.
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        return builder;
    }

    /// <summary>The console calls the API at the gateway's public address, as any client does.</summary>
    private static void ToGateway(IServiceProvider services, HttpClient http) =>
        http.BaseAddress = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Authentication.ConsoleOptions>>().Value.PublicAddress;

    /// <summary>Security headers, language, who the user is and what they may do, antiforgery: before every page.</summary>
    public static WebApplication UseConsolePipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseMiddleware<ConsoleSecurityHeaders>();
        // Routing here, after the headers: the static files short-circuit at it (MapConsolePages), with the headers but
        // before the language, the session and antiforgery, which they do not need.
        app.UseRouting();
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapConsolePages(this WebApplication app)
    {
        // Blazor's and Fluent UI's files and the stylesheets: code and styles, no data, so the signed-out page can load them.
        // Served as soon as routing finds them, without reading the signed-in session from the database as a page does.
        app.MapStaticAssets().AllowAnonymous().ShortCircuit();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapConsoleDownloads();
        return app;
    }
}
