using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.Registry.Model;

/// <summary>
/// A subject's processing restricted in one register by a rights request (GDPR Art 18, or an upheld objection under
/// Art 21(1)): the records it restricted are kept but not processed, and staff cannot change the subject's records
/// in the register until it is lifted. Records kept under law are restricted by their retention, not by this.
/// </summary>
public sealed class SubjectRestriction
{
    public required Guid RequestId { get; init; }

    public required Guid SubjectId { get; init; }

    public required string Register { get; init; }

    /// <summary>The right that restricted: <see cref="SubjectRights.Restriction"/> or <see cref="SubjectRights.ObjectionUpheld"/>.</summary>
    public required string Right { get; init; }

    /// <summary>The records this restriction made restricted (records restricted already are not listed).</summary>
    public required List<Guid> RecordIds { get; init; }

    public required DateTimeOffset RestrictedAt { get; init; }

    public DateTimeOffset? LiftedAt { get; set; }

    public bool IsInForce => LiftedAt is null;

    /// <summary>What a staff member told 409 reads: why the subject's records cannot change.</summary>
    public string Reason => Right == SubjectRights.ObjectionUpheld
        ? "The subject objected to processing under legitimate interest (GDPR Art 21(1)) and the objection was upheld: their records in this register are restricted."
        : "The subject asked for the restriction of processing (GDPR Art 18): their records in this register are kept but not processed until the restriction is lifted.";
}

public sealed class SubjectRestrictionConfiguration : IEntityTypeConfiguration<SubjectRestriction>
{
    public void Configure(EntityTypeBuilder<SubjectRestriction> builder)
    {
        builder.ToTable("subject_restrictions");
        builder.HasKey(r => new { r.RequestId, r.SubjectId, r.Register });
        builder.Property(r => r.Register).HasMaxLength(64);
        builder.Property(r => r.Right).HasMaxLength(64);
        builder.Ignore(r => r.IsInForce);
        builder.Ignore(r => r.Reason);
        // The 409 check: is this subject restricted in this register now?
        builder.HasIndex(r => new { r.SubjectId, r.Register }).HasFilter("lifted_at IS NULL");
    }
}

public static class SubjectRestrictions
{
    /// <summary>The restriction in force on the subject in the register, if any.</summary>
    public static Task<SubjectRestriction?> InForceAsync(RegistryContext db, Guid subjectId, string register, CancellationToken cancellationToken) =>
        db.Set<SubjectRestriction>().AsNoTracking()
            .Where(r => r.SubjectId == subjectId && r.Register == register && r.LiftedAt == null)
            .OrderBy(r => r.RestrictedAt)
            .FirstOrDefaultAsync(cancellationToken);
}
