using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>The columns the rights other than erasure add to a request: each particular as one jsonb document.</summary>
public sealed class RightsRequestRightsConfiguration : IEntityTypeConfiguration<RightsRequest>
{
    public void Configure(EntityTypeBuilder<RightsRequest> builder)
    {
        builder.Property(r => r.ObjectionTo).HasMaxLength(32);
        builder.Property(r => r.Decision).AsJson();
        builder.Property(r => r.Right).HasMaxLength(64);
        // Corrections and HeldIdentifiers are encrypted at rest: RightsRequestsContext maps them with the key.
        builder.Property(r => r.Lifting).AsJson();
        builder.Ignore(r => r.HasParticulars);
        builder.Ignore(r => r.HoldsNoData);
        builder.Ignore(r => r.CanBeLifted);
    }
}

public sealed class RegisterDataCopyConfiguration : IEntityTypeConfiguration<RegisterDataCopy>
{
    public const string Table = "register_data_copies";

    public void Configure(EntityTypeBuilder<RegisterDataCopy> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(c => new { c.RequestId, c.Register });
        builder.Property(c => c.Register).HasMaxLength(64);
        builder.Property(c => c.Name).AsJson();
        // Records is encrypted at rest: RightsRequestsContext maps it with the key.
        builder.Property(c => c.Processing).AsJson();
        builder.HasOne<RightsRequest>().WithMany().HasForeignKey(c => c.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal static class JsonColumns
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>A value stored as one jsonb document, compared by its JSON.</summary>
    public static PropertyBuilder<T> AsJson<T>(this PropertyBuilder<T> property) => property
        .HasColumnType("jsonb")
        .HasConversion(
            value => JsonSerializer.Serialize(value, s_json),
            json => JsonSerializer.Deserialize<T>(json, s_json)!,
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, s_json) == JsonSerializer.Serialize(b, s_json),
                value => JsonSerializer.Serialize(value, s_json).GetHashCode(StringComparison.Ordinal),
                value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, s_json), s_json)!));
}
