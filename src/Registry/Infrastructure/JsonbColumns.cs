using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.Registry.Infrastructure;

/// <summary>
/// A value the Registry keeps as one jsonb document (a record's fields, a register's description, a merge's counts,
/// field names), written in the web's JSON casing and compared by its JSON, so that the change tracker sees a change
/// made inside a list or a dictionary as well as a new value.
/// </summary>
public static class JsonbColumns
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static PropertyBuilder<T> StoredAsJsonb<T>(this PropertyBuilder<T> property) where T : class => property
        .HasColumnType("jsonb")
        .HasConversion(
            value => JsonSerializer.Serialize(value, s_json),
            json => JsonSerializer.Deserialize<T>(json, s_json)!,
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, s_json) == JsonSerializer.Serialize(b, s_json),
                value => JsonSerializer.Serialize(value, s_json).GetHashCode(StringComparison.Ordinal),
                value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, s_json), s_json)!));
}
