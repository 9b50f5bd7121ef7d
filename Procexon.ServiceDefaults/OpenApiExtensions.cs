using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Procexon.ServiceDefaults.Security;

namespace Microsoft.Extensions.Hosting;

public static class OpenApiExtensions
{
    /// <summary>
    /// The service's OpenAPI document at <c>/openapi/v1.json</c>. It names no server: clients reach the services through
    /// the gateway, so the reference there calls the gateway's own origin rather than the service's private address.
    /// </summary>
    public static IHostApplicationBuilder AddServiceOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, context, _) =>
        {
            document.Servers = [];
            var authority = context.ApplicationServices.GetRequiredService<IConfiguration>()[$"{PlatformAuthenticationOptions.Section}:Authority"];
            if (Uri.TryCreate(authority, UriKind.Absolute, out var issuer))
            {
                DescribeSignIn(document, issuer);
            }

            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>
    /// Every operation asks for a token of the platform's authority, got with the authorization code flow and PKCE: what
    /// the API reference's "Authorize" and any generated client follow (the public operations say so themselves).
    /// </summary>
    private static void DescribeSignIn(OpenApiDocument document, Uri issuer)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "The platform's OpenID Connect provider: staff sign in (code + PKCE), processors use client credentials.",
            Flows = new OpenApiOAuthFlows
            {
                AuthorizationCode = new OpenApiOAuthFlow
                {
                    AuthorizationUrl = new Uri(issuer, "connect/authorize"),
                    TokenUrl = new Uri(issuer, "connect/token"),
                    RefreshUrl = new Uri(issuer, "connect/token"),
                    Scopes = new Dictionary<string, string> { ["openid"] = "Who you are", ["api"] = "The platform's API" },
                },
                ClientCredentials = new OpenApiOAuthFlow
                {
                    TokenUrl = new Uri(issuer, "connect/token"),
                    Scopes = new Dictionary<string, string> { ["api"] = "The platform's API" },
                },
            },
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, document)] = ["api"] }];
    }

    /// <summary>The name of the OAuth 2 scheme in every service's OpenAPI document.</summary>
    public const string SecurityScheme = "oauth2";

    /// <summary>
    /// The document, open in Development for the API reference, and behind the fallback policy (a signed-in caller)
    /// anywhere else: a full map of the API is no one's business but the platform's users'.
    /// </summary>
    public static WebApplication MapServiceOpenApi(this WebApplication app)
    {
        var document = app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            document.AllowAnonymous();
        }

        return app;
    }
}
