using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Procexon.Identity.Apis;
using Procexon.Identity.Extensions;
using Procexon.Identity.Model;
using Procexon.ServiceDefaults.Security;

namespace Procexon.Testing;

/// <summary>
/// The platform's OpenID Connect provider (<c>src/Identity</c>) started in-process on its own database <c>identitydb</c>,
/// its issuer its own base URL, seeded with a confidential client per role (<c>test-&lt;role&gt;</c>), one per
/// processor recipient (<c>test-processor-&lt;recipient&gt;</c>), a public browser client (<see cref="BrowserClientId"/>)
/// and a user per role named after the role, each with a generated secret or password. A service's fixture merges
/// <see cref="ValidationSettings"/> into its configuration and asks for tokens with <see cref="AccessTokenAsync"/>.
/// </summary>
public sealed class IdentityProvider : IAsyncDisposable
{
    public const string BrowserClientId = "test-browser";
    public static readonly Uri BrowserRedirectUri = new("http://127.0.0.1/callback");
    public static readonly Uri BrowserPostLogoutRedirectUri = new("http://127.0.0.1/signed-out");
    public static readonly IReadOnlyList<string> Recipients = ["accounting-firm", "website-it-company"];


    private readonly Dictionary<string, string?> _settings;
    private readonly Dictionary<string, string> _secrets = [];
    private readonly Dictionary<string, string> _passwords = [];
    private readonly ConcurrentDictionary<string, ClientCredentials> _tokens = new();
    private readonly HttpClient _http;
    private WebApplication _app = null!;

    private IdentityProvider(PostgresServer postgres, int port, IReadOnlyDictionary<string, string?> overrides)
    {
        Issuer = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        _http = new HttpClient { BaseAddress = Issuer, Timeout = TimeSpan.FromSeconds(30) };
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:identitydb"] = postgres.ConnectionString("identitydb"),
            ["Identity:Issuer"] = Issuer.AbsoluteUri,
            ["Identity:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Logging:LogLevel:Default"] = "Warning",
        };

        foreach (var role in PlatformRoles.All)
        {
            AddClient($"test-{role}", role, recipient: null);
            var password = $"Pw-{Convert.ToHexString(RandomNumberGenerator.GetBytes(12))}-x";
            _passwords[role] = password;
            _settings[$"Identity:Users:{role}:Password"] = password;
            _settings[$"Identity:Users:{role}:DisplayName"] = $"Test {role}";
            _settings[$"Identity:Users:{role}:Email"] = $"{role}@example.invalid";
            _settings[$"Identity:Users:{role}:Roles:0"] = role;
        }

        foreach (var recipient in Recipients)
        {
            AddClient($"test-processor-{recipient}", role: null, recipient);
        }

        _settings[$"Identity:Clients:{BrowserClientId}:DisplayName"] = "Test browser application";
        _settings[$"Identity:Clients:{BrowserClientId}:RedirectUris:0"] = BrowserRedirectUri.AbsoluteUri;
        _settings[$"Identity:Clients:{BrowserClientId}:PostLogoutRedirectUris:0"] = BrowserPostLogoutRedirectUri.AbsoluteUri;

        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    public Uri Issuer { get; }

    /// <summary>The discovery document, where a resource server finds the JWKS.</summary>
    public Uri MetadataAddress => new(Issuer, ".well-known/openid-configuration");

    /// <summary>What a resource server's configuration needs to validate this provider's tokens.</summary>
    public IReadOnlyDictionary<string, string?> ValidationSettings => new Dictionary<string, string?>
    {
        ["Authentication:Authority"] = Issuer.AbsoluteUri,
        ["Authentication:MetadataAddress"] = MetadataAddress.AbsoluteUri,
        ["Authentication:Audience"] = ApiResource.Audience,
    };

    /// <summary>The running host, for tests that look inside (its database, its services).</summary>
    public IServiceProvider Services => _app.Services;

    public static Task<IdentityProvider> StartAsync(PostgresServer postgres, CancellationToken ct = default) =>
        StartAsync(postgres, new Dictionary<string, string?>(), ct);

    /// <summary>Starts the provider with <paramref name="settings"/> over the seeded defaults (e.g. <c>Identity:TwoFactorRequiredForRoles:0</c>).</summary>
    public static async Task<IdentityProvider> StartAsync(
        PostgresServer postgres, IReadOnlyDictionary<string, string?> settings, CancellationToken ct = default)
    {
        var provider = new IdentityProvider(postgres, FreePort.Next(), settings);
        provider._app = await provider.StartHostAsync(ct);
        return provider;
    }

    /// <summary>Stops the host and starts a new one on the same port, database and configuration, as a redeployment would.</summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        await _app.StopAsync(ct);
        await _app.DisposeAsync();
        _app = await StartHostAsync(ct);
    }

    public string PasswordOf(string userName) =>
        _passwords.TryGetValue(userName, out var password) ? password : throw new ArgumentException($"No seeded user '{userName}'.", nameof(userName));

    public string SecretOf(string clientId) =>
        _secrets.TryGetValue(clientId, out var secret) ? secret : throw new ArgumentException($"No seeded client '{clientId}'.", nameof(clientId));

    /// <summary>A client-credentials access token of <c>test-&lt;role&gt;</c>, reused until shortly before it expires.</summary>
    public Task<string> AccessTokenAsync(string role) => CachedTokenAsync($"test-{role}");

    /// <summary>A client-credentials access token of the processor client for <paramref name="recipient"/>.</summary>
    public Task<string> ProcessorTokenAsync(string recipient) => CachedTokenAsync($"test-processor-{recipient}");

    /// <summary>Asks the token endpoint for a client-credentials token, uncached.</summary>
    public Task<HttpResponseMessage> RequestClientTokenAsync(string clientId, string secret, CancellationToken ct = default) =>
        ClientCredentials.RequestAsync(_http, clientId, secret, ct);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        foreach (var tokens in _tokens.Values)
        {
            tokens.Dispose();
        }

        _http.Dispose();
    }

    private void AddClient(string clientId, string? role, string? recipient)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _secrets[clientId] = secret;
        _settings[$"Identity:Clients:{clientId}:Secret"] = secret;
        _settings[$"Identity:Clients:{clientId}:DisplayName"] = $"Test client {clientId}";
        if (role is not null)
        {
            _settings[$"Identity:Clients:{clientId}:Roles:0"] = role;
        }

        if (recipient is not null)
        {
            _settings[$"Identity:Clients:{clientId}:Recipient"] = recipient;
        }
    }

    private async Task<WebApplication> StartHostAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ConnectApi).Assembly.GetName().Name,
            EnvironmentName = Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(Issuer.GetLeftPart(UriPartial.Authority));
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.AddServiceDefaults();
        builder.AddApplicationServices();

        var app = builder.Build();
        app.UseIdentityProvider();
        app.MapDefaultEndpoints();
        app.MapConnectApi();
        app.MapAccountPages();
        await app.StartAsync(ct);
        return app;
    }

    private Task<string> CachedTokenAsync(string clientId) =>
        _tokens.GetOrAdd(clientId, id => new ClientCredentials(_http, id, SecretOf(id))).TokenAsync();
}
