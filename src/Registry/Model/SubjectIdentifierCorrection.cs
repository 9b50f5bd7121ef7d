using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.Registry.Model;

/// <summary>
/// A register admin's correction of a subject's identifiers (GDPR Art 5(1)(d), accuracy): a mistyped identity code
/// that keeps two records of one person apart, say. Like a merge, its history holds no personal values: who, when,
/// why, and which identifiers changed, by field name.
/// </summary>
public sealed class SubjectIdentifierCorrection
{
    public const int MaxReasonLength = 2000;

    public required Guid Id { get; init; }

    public required Guid SubjectId { get; set; }

    /// <summary>Who corrected: the caller as their token names them.</summary>
    public required string CorrectedBy { get; init; }

    public required string Reason { get; init; }

    public required DateTimeOffset CorrectedAt { get; init; }

    /// <summary>The identifiers that changed, by field name (<c>hetu</c>, <c>email</c>…), each set, changed or removed.</summary>
    public required List<string> Fields { get; init; }
}

public sealed class SubjectIdentifierCorrectionConfiguration : IEntityTypeConfiguration<SubjectIdentifierCorrection>
{
    public void Configure(EntityTypeBuilder<SubjectIdentifierCorrection> builder)
    {
        builder.ToTable("subject_identifier_corrections");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.CorrectedBy).HasMaxLength(SubjectMerge.MaxMergedByLength);
        builder.Property(c => c.Reason).HasMaxLength(SubjectIdentifierCorrection.MaxReasonLength);
        builder.Property(c => c.Fields).StoredAsJsonb();
        builder.HasIndex(c => new { c.SubjectId, c.CorrectedAt });
    }
}
