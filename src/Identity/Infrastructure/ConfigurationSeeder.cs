using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Procexon.Messaging;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Procexon.Identity.Infrastructure;

/// <summary>
/// Creates or updates the roles, the clients under <c>Identity:Clients</c> and the users under <c>Identity:Users</c> at
/// every start, so that secrets and passwords the AppHost rotates take effect. Nothing absent from configuration is removed.
/// </summary>
public sealed partial class ConfigurationSeeder(
    IOpenIddictApplicationManager applications,
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityProviderOptions> options,
    ILogger<ConfigurationSeeder> logger) : IDatabaseSeeder<IdentityContext>
{
    /// <summary>Where the platform's clients' roles and recipient are kept on the OpenIddict application.</summary>
    public const string RolesProperty = "procexon_roles";
    public const string RecipientProperty = "procexon_recipient";

    public async Task SeedAsync(IdentityContext db, CancellationToken cancellationToken)
    {
        foreach (var role in PlatformRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
            }
        }

        foreach (var (clientId, client) in options.Value.Clients)
        {
            await SeedClientAsync(clientId, client, cancellationToken);
        }

        foreach (var (userName, user) in options.Value.Users)
        {
            await SeedUserAsync(userName, user);
        }

        LogSeeded(logger, options.Value.Clients.Count, options.Value.Users.Count);
    }

    private async Task SeedClientAsync(string clientId, ClientSettings client, CancellationToken cancellationToken)
    {
        var clientRoles = client.Recipient is null ? client.Roles : [.. client.Roles.Append(PlatformRoles.Processor).Distinct()];
        EnsureKnown(clientRoles, $"client {clientId}");

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = client.Secret,
            ClientType = client.Secret is null ? ClientTypes.Public : ClientTypes.Confidential,
            DisplayName = client.DisplayName ?? clientId,
            ConsentType = ConsentTypes.Implicit,
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Prefixes.Scope + ApiResource.Scope,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Roles,
            },
        };
        if (client.Secret is not null)
        {
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        }

        if (client.RedirectUris.Count > 0)
        {
            descriptor.Permissions.UnionWith(
            [
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
            ]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            descriptor.RedirectUris.UnionWith(client.RedirectUris);
            descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris);
        }

        descriptor.Properties[RolesProperty] = JsonSerializer.SerializeToElement(clientRoles);
        if (client.Recipient is not null)
        {
            descriptor.Properties[RecipientProperty] = JsonSerializer.SerializeToElement(client.Recipient);
        }

        var existing = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }

    private async Task SeedUserAsync(string userName, UserSettings settings)
    {
        EnsureKnown(settings.Roles, $"user {userName}");
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            user = new ApplicationUser { UserName = userName, Email = settings.Email, DisplayName = settings.DisplayName ?? userName };
            Check(settings.Password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, settings.Password), $"user {userName}");
        }
        else
        {
            user.Email = settings.Email;
            user.DisplayName = settings.DisplayName ?? userName;
            Check(await users.UpdateAsync(user), $"user {userName}");
            if (settings.Password is not null && !await users.CheckPasswordAsync(user, settings.Password))
            {
                Check(await users.RemovePasswordAsync(user), $"password of {userName}");
                Check(await users.AddPasswordAsync(user, settings.Password), $"password of {userName}");
            }
        }

        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current.Except(settings.Roles)), $"roles of {userName}");
        Check(await users.AddToRolesAsync(user, settings.Roles.Except(current)), $"roles of {userName}");
    }

    private static void EnsureKnown(IEnumerable<string> configured, string owner)
    {
        var unknown = configured.Except(PlatformRoles.All).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Configuration gives {owner} unknown roles: {string.Join(", ", unknown)}.");
        }
    }

    // Errors name the rule that failed (too short, duplicate name), never the password.
    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Seeding {what} failed: {string.Join(" ", result.Errors.Select(e => e.Code))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Clients} clients and {Users} users from configuration")]
    private static partial void LogSeeded(ILogger logger, int clients, int users);
}
