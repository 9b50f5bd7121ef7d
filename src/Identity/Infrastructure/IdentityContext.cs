using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Procexon.Messaging.Encryption;

namespace Procexon.Identity.Infrastructure;

/// <summary>
/// Users and roles (ASP.NET Core Identity), OpenIddict's applications, authorizations and tokens, the signing keys and the
/// Data Protection key ring (sealed, see <see cref="KeyRingSeal"/>); the users' tokens encrypted (<see cref="UserTokenProtection"/>).
/// </summary>
public sealed class IdentityContext(DbContextOptions<IdentityContext> options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ApplicationUser>().Property(u => u.DisplayName).HasMaxLength(200);

        // snake_case like every other service's tables (the libraries name theirs AspNetUsers, OpenIddictTokens...).
        builder.Entity<ApplicationUser>().ToTable("users");
        builder.Entity<IdentityRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable(UserTokenProtection.Table);
        // The authenticator key and recovery codes: encrypted, so the database alone cannot produce a second factor.
        builder.Entity<IdentityUserToken<string>>().Property(t => t.Value)
            .Encrypted(options.EncryptionOf<UserTokenProtection>(), UserTokenProtection.Table, UserTokenProtection.Column);
        builder.Entity<IdentityRoleClaim<string>>().ToTable("role_claims");
        builder.Entity<OpenIddictEntityFrameworkCoreApplication>().ToTable("openiddict_applications");
        builder.Entity<OpenIddictEntityFrameworkCoreAuthorization>().ToTable("openiddict_authorizations");
        builder.Entity<OpenIddictEntityFrameworkCoreScope>().ToTable("openiddict_scopes");
        builder.Entity<OpenIddictEntityFrameworkCoreToken>().ToTable("openiddict_tokens");
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        builder.Entity<SigningKey>(key =>
        {
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasMaxLength(64);
        });
    }
}
