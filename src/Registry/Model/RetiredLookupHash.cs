using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.Registry.Model;

/// <summary>
/// A subject's identifier hash under a lookup key that a rotation retired: a request verified and hashed before the
/// rotation still finds its subject while the retired key stays in <c>Registry:PreviousIdentifierKeys</c>. Goes with
/// the subject, and with the key once it is no longer configured.
/// </summary>
public sealed class RetiredLookupHash
{
    public required string KeyId { get; init; }

    public required byte[] Hash { get; init; }

    public required Guid SubjectId { get; init; }
}

public sealed class RetiredLookupHashConfiguration : IEntityTypeConfiguration<RetiredLookupHash>
{
    public void Configure(EntityTypeBuilder<RetiredLookupHash> builder)
    {
        builder.ToTable("retired_lookup_hashes");
        // A phone or a business ID may name several subjects: the subject is part of the key.
        builder.HasKey(h => new { h.KeyId, h.Hash, h.SubjectId });
        builder.Property(h => h.KeyId).HasMaxLength(16);
        builder.Property(h => h.Hash).HasColumnType("bytea");
        builder.HasOne<Subject>().WithMany().HasForeignKey(h => h.SubjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(h => h.SubjectId);
    }
}
