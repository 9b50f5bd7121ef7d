using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>The request's lifecycle columns (RightsRequest.Lifecycle.cs), beside the context's own mapping of the request.</summary>
public sealed class RequestLifecycleConfiguration : IEntityTypeConfiguration<RightsRequest>
{
    public void Configure(EntityTypeBuilder<RightsRequest> builder)
    {
        builder.Property(r => r.EnteredBy).HasMaxLength(AuditActors.MaxLength);
        builder.Property(r => r.ExtensionReason).HasMaxLength(2000);
        builder.Property(r => r.RefusalReason).HasMaxLength(2000);
        builder.Property(r => r.VerificationCodeHash).HasMaxLength(64);
        builder.Property(r => r.AnswerKeyHash).HasMaxLength(64);
        builder.Ignore(r => r.PendingAudit);
        builder.Ignore(r => r.IsOpen);
        builder.Ignore(r => r.VerificationAttemptsLeft);
        // The sweep looks for unverified requests entered before a cutoff.
        builder.HasIndex(r => new { r.Status, r.EnteredAt });
    }
}

/// <summary>The audit trail: append-only, refused UPDATE/DELETE/TRUNCATE by the triggers in <see cref="AppendOnlyAuditSql"/>.</summary>
public sealed class RequestAuditEntryConfiguration : IEntityTypeConfiguration<RequestAuditEntry>
{
    public void Configure(EntityTypeBuilder<RequestAuditEntry> builder)
    {
        builder.ToTable(AppendOnlyAuditSql.Table);
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Actor).HasMaxLength(AuditActors.MaxLength);
        builder.Property(e => e.Reason).HasMaxLength(2000);
        builder.Property(e => e.FromStatus).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.ToStatus).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Detail).HasMaxLength(500);
        // Restrict: deleting a request would have to delete its trail, which the trigger refuses anyway.
        builder.HasOne<RightsRequest>().WithMany().HasForeignKey(e => e.RequestId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.RequestId, e.Id });
        builder.HasIndex(e => e.OccurredAt);
    }
}
