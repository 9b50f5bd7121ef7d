using System.Linq.Expressions;

namespace Procexon.Messaging.Database;

/// <summary>
/// Rows by a set of keys, written so that PostgreSQL plans the statement once per connection. EF Core sends
/// <c>keys.Contains(row.Key)</c> as <c>key = ANY($1)</c>, and PostgreSQL plans a prepared statement with an array
/// parameter anew at every call: its generic plan assumes ten elements, so against a custom plan for the one a batch
/// usually holds at a moderate rate it never wins (docs/performance.md, twenty-third round). One key is sent as
/// <c>key = $1</c>, which is planned once; several as the array, planned per call but once for the whole batch.
/// </summary>
public static class KeyedRows
{
    public static IQueryable<TRow> WhereKeyIn<TRow, TKey>(
        this IQueryable<TRow> rows, Expression<Func<TRow, TKey>> key, IReadOnlyCollection<TKey> keys)
    {
        // A member of a constant object, as a captured variable is: EF Core sends it as a parameter, not a literal.
        Expression condition = keys.Count == 1
            ? Expression.Equal(key.Body, Expression.Property(Expression.Constant(new Value<TKey>(keys.First())), nameof(Value<TKey>.Of)))
            : Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(TKey)],
                Expression.Property(Expression.Constant(new Value<TKey[]>([.. keys])), nameof(Value<TKey[]>.Of)), key.Body);
        return rows.Where(Expression.Lambda<Func<TRow, bool>>(condition, key.Parameters));
    }

    private sealed class Value<T>(T of)
    {
        public T Of { get; } = of;
    }
}
