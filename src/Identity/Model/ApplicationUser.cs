using Microsoft.AspNetCore.Identity;

namespace Procexon.Identity.Model;

/// <summary>A member of staff who signs in; the display name is what audit trails show as the actor.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}
