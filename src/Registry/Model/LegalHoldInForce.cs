using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.Registry.Model;

/// <summary>
/// The Registry's copy of a legal hold a person placed in Retention (GDPR Art 17(3)(e)): which subject's data an erasure
/// must keep, in one register or in all (<see cref="Register"/> null). Lifted holds stay as rows, so a lifting that
/// overtakes its placement on the broker is not undone when the placement arrives.
/// </summary>
public sealed class LegalHoldInForce
{
    public required Guid HoldId { get; init; }

    public required Guid SubjectId { get; set; }

    public string? Register { get; init; }

    /// <summary>One of <see cref="LegalHoldBases"/>: what the answer to the subject names.</summary>
    public required string Basis { get; init; }

    public required DateTimeOffset PlacedAt { get; init; }

    public DateTimeOffset? LiftedAt { get; set; }

    public bool Covers(Guid subjectId, string register) =>
        LiftedAt is null && SubjectId == subjectId && (Register is null || Register == register);
}

public sealed class LegalHoldInForceConfiguration : IEntityTypeConfiguration<LegalHoldInForce>
{
    public void Configure(EntityTypeBuilder<LegalHoldInForce> builder)
    {
        builder.ToTable("legal_holds");
        builder.HasKey(h => h.HoldId);
        builder.Property(h => h.Register).HasMaxLength(64);
        builder.Property(h => h.Basis).HasMaxLength(32);
        // Every erasure asks: is this subject held? Only holds in force are in the index.
        builder.HasIndex(h => h.SubjectId).HasFilter("lifted_at IS NULL");
    }
}

public static class LegalHoldsInForce
{
    /// <summary>
    /// The holds in force on these subjects that cover any of these registers, locked shared for the transaction
    /// (<c>FOR SHARE</c>): a lifting (<c>FOR UPDATE</c>) waits until the erasure that kept records under the hold has
    /// committed, so it finds them; an erasure after the lifting sees the hold lifted and keeps nothing under it.
    /// </summary>
    public static Task<List<LegalHoldInForce>> CoveringAsync(RegistryContext db, Guid[] subjectIds, string[] registers, CancellationToken cancellationToken) =>
        db.Set<LegalHoldInForce>()
            .FromSql($"SELECT * FROM legal_holds WHERE subject_id = ANY({subjectIds}) AND lifted_at IS NULL AND (register IS NULL OR register = ANY({registers})) ORDER BY hold_id FOR SHARE")
            .AsNoTracking()
            .ToListAsync(cancellationToken);

    /// <summary>The hold that keeps a subject's records in a register: the earliest placed of those covering it.</summary>
    public static LegalHoldInForce? Of(IEnumerable<LegalHoldInForce> holds, Guid subjectId, string register) =>
        holds.Where(h => h.Covers(subjectId, register)).OrderBy(h => h.PlacedAt).ThenBy(h => h.HoldId).FirstOrDefault();
}
