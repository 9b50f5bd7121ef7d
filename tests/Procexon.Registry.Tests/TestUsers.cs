using System.Security.Claims;
using Procexon.ServiceDefaults.Security;

namespace Procexon.Registry.Tests;

/// <summary>Callers as a validated token makes them, for tests that call handlers directly.</summary>
public static class TestUsers
{
    /// <summary>How <see cref="RegisterAdmin"/> is recorded as an actor.</summary>
    public const string RegisterAdminActor = "Rekisterinpitäjä Tiina Testaaja (tiina)";

    public static ClaimsPrincipal RegisterAdmin { get; } = Staff("tiina", "Rekisterinpitäjä Tiina Testaaja", PlatformRoles.RegisterAdmin);

    public static ClaimsPrincipal Staff(string id, string name, string role) => new(new ClaimsIdentity(
        [new(PlatformClaims.Subject, id), new(PlatformClaims.Name, name), new(PlatformClaims.Role, role)],
        "test", PlatformClaims.Name, PlatformClaims.Role));
}
