using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.Registry.Model;

/// <summary>
/// Two subjects found to be one person, made one: the history of the merge, with no personal values in it — which
/// subject went into which, who did it, when, why, and what moved (records per register, identifiers by field name).
/// </summary>
public sealed class SubjectMerge
{
    /// <summary>The column's length, the same as the longest actor a token gives (<see cref="AuthenticationExtensions.Actor"/>).</summary>
    public const int MaxMergedByLength = 200;

    public required Guid Id { get; init; }

    /// <summary>The duplicate, which no longer exists as a subject.</summary>
    public required Guid FromSubjectId { get; init; }

    public required Guid IntoSubjectId { get; init; }

    /// <summary>Who merged: the caller as their token names them.</summary>
    public required string MergedBy { get; init; }

    public required string Reason { get; init; }

    public required DateTimeOffset MergedAt { get; init; }

    public required int RecordsMoved { get; init; }

    /// <summary>Records moved per register slug.</summary>
    public required Dictionary<string, int> MovedPerRegister { get; init; }

    /// <summary>Field names the surviving subject took from the duplicate (e.g. <c>phone</c>, <c>customerNumber (alias)</c>).</summary>
    public required List<string> IdentifiersTaken { get; init; }
}

/// <summary>
/// A further identifier of a subject, found by its keyed hash: the customer number of a duplicate merged into it, so
/// that orders and invoices quoting the old number still find the person.
/// </summary>
public sealed class SubjectAlias
{
    public required byte[] KeyHash { get; set; }

    /// <summary>The customer number itself, encrypted at rest: a rotation of the lookup key hashes it again.</summary>
    public string? CustomerNumber { get; init; }

    public required string Kind { get; init; }

    public required Guid SubjectId { get; set; }

    public required Guid MergeId { get; init; }
}

public sealed class SubjectMergeConfiguration : IEntityTypeConfiguration<SubjectMerge>
{
    public void Configure(EntityTypeBuilder<SubjectMerge> builder)
    {
        builder.ToTable("subject_merges");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.MergedBy).HasMaxLength(SubjectMerge.MaxMergedByLength);
        builder.Property(m => m.Reason).HasMaxLength(SubjectMergeBody.MaxReasonLength);
        builder.Property(m => m.MovedPerRegister).StoredAsJsonb();
        builder.Property(m => m.IdentifiersTaken).StoredAsJsonb();
        // A subject is merged away once; asking again about the duplicate finds where it went by this index.
        builder.HasIndex(m => m.FromSubjectId).IsUnique();
        builder.HasIndex(m => m.IntoSubjectId);
    }
}

public sealed class SubjectAliasConfiguration : IEntityTypeConfiguration<SubjectAlias>
{
    public void Configure(EntityTypeBuilder<SubjectAlias> builder)
    {
        builder.ToTable("subject_aliases");
        builder.HasKey(a => a.KeyHash);
        builder.Property(a => a.KeyHash).HasColumnType("bytea");
        builder.Property(a => a.Kind).HasMaxLength(32);
        builder.HasOne<Subject>().WithMany().HasForeignKey(a => a.SubjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.SubjectId);
    }
}
