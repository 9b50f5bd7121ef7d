using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using Procexon.Messaging;
using Procexon.Messaging.Encryption;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Procexon.Identity.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityProviderOptions>()
            .BindConfiguration(IdentityProviderOptions.Section)
            .Validate(o => o.Issuer is { IsAbsoluteUri: true }, "Identity:Issuer must be an absolute URI.")
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.AccessTokenLifetime <= TimeSpan.FromMinutes(15),
                "Identity:AccessTokenLifetime must be positive and at most 15 minutes.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeyEncryptionKey), "Identity:KeyEncryptionKey is missing.")
            .Validate(o => o.SigningKeyLifetime > TimeSpan.Zero, "Identity:SigningKeyLifetime must be positive.")
            .Validate(o => o.SigningKeyGracePeriod > o.LongestTokenLifetime,
                "Identity:SigningKeyGracePeriod must be longer than any token's lifetime.")
            .ValidateOnStart();

        var userTokens = UserTokenProtection.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(userTokens);
        builder.AddServiceDatabase<IdentityContext>("identitydb", options => options.UseOpenIddict().UseColumnEncryption(userTokens));
        builder.Services.AddScoped<IKeyedDataUpgrade<IdentityContext>, EncryptClearUserTokens>();
        builder.Services.AddEncryptedColumnRewrap<IdentityContext>();
        builder.AddSigningKeys();
        builder.AddCookieKeyRing();
        builder.AddUserAccounts();
        builder.AddOpenIddictServer();
        builder.AddLoginPages();

        // After the signing keys: clients and users need a migrated database, not keys, but keys fail faster.
        builder.Services.AddScoped<IDatabaseSeeder<IdentityContext>, ConfigurationSeeder>();
        return builder;
    }

    /// <summary>RSA signing keys persisted in the database, rotated by <see cref="SigningKeyRotation"/>.</summary>
    public static IHostApplicationBuilder AddSigningKeys(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<KeyEncryption>();
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddSingleton<SigningKeyRotation>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SigningKeyRotation>());
        builder.Services.AddScoped<IDatabaseSeeder<IdentityContext>>(services => services.GetRequiredService<SigningKeyRotation>());
        return builder;
    }

    /// <summary>
    /// The keys that protect the sign-in, two-factor and antiforgery cookies, kept in the database (sealed) rather than in
    /// memory: a restart or a second replica keeps people signed in and half-way logins valid.
    /// </summary>
    public static IHostApplicationBuilder AddCookieKeyRing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSealedKeyRing<IdentityContext>("procexon-identity",
            services => services.GetRequiredService<KeyEncryption>().KeyRing);
        return builder;
    }

    /// <summary>ASP.NET Core Identity: staff accounts, lockout after 5 failures for 15 minutes, authenticator (TOTP) codes.</summary>
    public static IHostApplicationBuilder AddUserAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services
            .AddIdentity<ApplicationUser, IdentityRole>(options =>
            {
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                // Length, not composition rules (NIST SP 800-63B 5.1.1.2): generated secrets and passphrases both pass.
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
            })
            .AddEntityFrameworkStores<IdentityContext>()
            .AddDefaultTokenProviders();
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "procexon.identity";
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.LoginPath = AccountPages.LoginPath;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        return builder;
    }

    /// <summary>
    /// OpenIddict as the platform's OpenID Connect provider: authorization code with PKCE, client credentials and
    /// rolling refresh tokens; access tokens are RS256 JWTs for <c>procexon-api</c>, readable by any resource server.
    /// </summary>
    public static IHostApplicationBuilder AddOpenIddictServer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityContext>())
            .AddServer(server =>
            {
                server
                    .SetAuthorizationEndpointUris(ConnectApi.AuthorizePath)
                    .SetTokenEndpointUris(ConnectApi.TokenPath)
                    .SetEndSessionEndpointUris(ConnectApi.EndSessionPath)
                    .SetUserInfoEndpointUris(ConnectApi.UserInfoPath);
                server.AllowAuthorizationCodeFlow().AllowClientCredentialsFlow().AllowRefreshTokenFlow();
                server.RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess, ApiResource.Scope);
                // Resource servers validate the JWT themselves against the JWKS; they hold no decryption key.
                server.DisableAccessTokenEncryption();
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // Plain HTTP on loopback in development; a deployment terminates TLS in front (the gateway) and the
                    // issuer it publishes is https.
                    .DisableTransportSecurityRequirement();
            });

        // Issuer, lifetimes and keys come from our options and the database, read when OpenIddict builds its options.
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, OpenIddictServerSetup>();
        builder.Services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(
            services => services.GetRequiredService<SigningKeyRing>());
        return builder;
    }

    /// <summary>The login pages' languages (Finnish first, English), kept in a cookie, and antiforgery for their forms.</summary>
    public static IHostApplicationBuilder AddLoginPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            CultureInfo[] cultures = [new("fi"), new("en")];
            options.DefaultRequestCulture = new RequestCulture("fi");
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
        });
        builder.Services.AddAntiforgery(options => options.Cookie.Name = "procexon.antiforgery");
        return builder;
    }

    /// <summary>The middleware the provider needs, in order: language, security headers, authentication (where OpenIddict runs), antiforgery.</summary>
    public static WebApplication UseIdentityProvider(this WebApplication app)
    {
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.Use((context, next) =>
        {
            // Pages that ask for a password must not be framed, sniffed, or leak their URL (which carries the
            // authorization request) to another site.
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
        app.UseAuthentication();
        app.UseAntiforgery();
        return app;
    }
}
