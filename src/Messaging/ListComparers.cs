using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Procexon.Messaging;

/// <summary>
/// Lists stored as PostgreSQL arrays (<c>text[]</c>, <c>uuid[]</c>) compared and copied without building a delegate per
/// call. EF Core's own comparers for such a list pass a lambda to a helper inside their compiled expressions
/// (<c>Compare(a, b, (x, y) => x == y)</c>, <c>Snapshot(source, v => v)</c>), and a compiled expression creates the
/// delegate of a nested lambda each time it runs: once per tracked entity on every DetectChanges and every snapshot.
/// The profile of an erasure put that at 6% of RightsRequests' samples (docs/performance.md, seventh round).
/// </summary>
public static class ListComparers
{
    /// <summary>Call last in <c>OnModelCreating</c>: every <c>List&lt;T&gt;</c> property without a converter gets <see cref="ListComparer{T}"/>.</summary>
    public static ModelBuilder UseDelegateFreeListComparers(this ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            var properties = entity.GetProperties().Concat(entity.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties()));
            foreach (var property in properties.Where(p => p.GetValueConverter() is null && p.GetValueComparer() is null))
            {
                if (property.ClrType.IsGenericType && property.ClrType.GetGenericTypeDefinition() == typeof(List<>))
                {
                    property.SetValueComparer(typeof(ListComparer<>).MakeGenericType(property.ClrType.GetGenericArguments()[0]));
                }
            }
        }

        return modelBuilder;
    }
}

/// <summary>Two lists are equal when their elements are, in order; a snapshot is a copy.</summary>
public sealed class ListComparer<T>() : ValueComparer<List<T>>(
    (a, b) => ListValues.AreEqual(a, b), list => ListValues.HashOf(list), list => ListValues.Copy(list));

/// <summary>What <see cref="ListComparer{T}"/>'s expressions call: plain methods, so that they compile to plain calls.</summary>
public static class ListValues
{
    public static bool AreEqual<T>(List<T>? a, List<T>? b) => ReferenceEquals(a, b) || (a is not null && b is not null && a.SequenceEqual(b));

    public static int HashOf<T>(List<T> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var hash = new HashCode();
        foreach (var item in list)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public static List<T> Copy<T>(List<T> list) => [.. list];
}
