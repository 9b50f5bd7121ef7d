using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.Registry.Model;

/// <summary>
/// Proof, stored beside the data, of which keys wrote it: a hash and a ciphertext of a fixed text. A registry started
/// with other keys would find nobody and could not read an identifier, so it refuses to start instead.
/// </summary>
public sealed class IdentifierKeyCheck
{
    public const int SingletonId = 1;
    public const string Probe = "procexon-key-check";

    public required int Id { get; init; }

    public required byte[] IdentifierKeyHash { get; set; }

    public required byte[] EncryptionKeyCiphertext { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class IdentifierKeyCheckConfiguration : IEntityTypeConfiguration<IdentifierKeyCheck>
{
    public void Configure(EntityTypeBuilder<IdentifierKeyCheck> builder)
    {
        builder.ToTable("identifier_key_checks");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
    }
}
