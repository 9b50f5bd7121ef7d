using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;

namespace Procexon.Messaging.Database;

/// <summary>
/// Rows of one entity type that a transaction adds, changes or removes several at a time (an erasure's ten registers'
/// answers, its records kept under law), written with one statement for each entity type and kind of change instead of
/// EF Core's one statement per row: <c>INSERT … SELECT FROM unnest(…)</c>, <c>UPDATE … FROM unnest(…)</c>,
/// <c>DELETE … USING unnest(…)</c>, all of one <c>SaveChanges</c> in one round trip before EF Core's own batch.
/// PostgreSQL's fixed cost is per statement, not per row (docs/performance.md, twenty-third and twenty-fourth rounds).
/// An entity type opts in (<see cref="SetBasedWrites.WrittenSetBased{TEntity}"/>), or joins the others' writes when they go
/// (<see cref="SetBasedWrites.WrittenSetBasedWithOthers{TEntity}"/>, the outbox). Only inside an explicit transaction, which keeps the
/// two batches one unit; <c>SaveChanges</c>'s own transaction begins after its interceptors, so without one EF Core
/// writes every row itself, as it does for a single row and for the rows of a type whose principal is added in the same
/// <c>SaveChanges</c> (EF Core orders those).
/// </summary>
public static class SetBasedWrites
{
    internal const string Annotation = "Procexon:WrittenSetBased";

    /// <summary>
    /// Writes this type's added, changed and removed rows set-based when several of one kind are written together. For
    /// types whose keys and values are set by the application: no store-generated values, no concurrency tokens, no
    /// array columns, not removed as a principal of another type (checked when the model is first used).
    /// </summary>
    public static EntityTypeBuilder<TEntity> WrittenSetBased<TEntity>(this EntityTypeBuilder<TEntity> entity)
        where TEntity : class => entity.HasAnnotation(Annotation, Leads);

    /// <summary>
    /// Writes this type's rows with the set-based writes of other types when those go, one row or several, and leaves
    /// them to EF Core otherwise: a transaction's outbox rows, so that EF Core's batch may be left with nothing to send
    /// (two outbox rows alone are not worth a round trip of their own before EF Core's).
    /// </summary>
    public static EntityTypeBuilder<TEntity> WrittenSetBasedWithOthers<TEntity>(this EntityTypeBuilder<TEntity> entity)
        where TEntity : class => entity.HasAnnotation(Annotation, Joins);

    internal const string Leads = "leads";

    internal const string Joins = "joins";
}

/// <summary>The interceptor that writes what <see cref="SetBasedWrites"/> describes; registered by <c>AddServiceDatabase</c>.</summary>
public sealed class SetBasedWriteInterceptor : SaveChangesInterceptor
{
    private readonly ConcurrentDictionary<IEntityType, TableShape> _shapes = new();
    private readonly ConcurrentDictionary<IModel, (IEntityType[] Types, HashSet<IEntityType> Detected)> _optedIn = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { Database.CurrentTransaction: not null } context)
        {
            await WriteAsync(context, cancellationToken);
        }

        return result;
    }

    private async Task WriteAsync(DbContext context, CancellationToken cancellationToken)
    {
        var optedIn = _optedIn.GetOrAdd(context.Model, OptedIn);
        if (optedIn.Types.Length == 0)
        {
            return;
        }

        // SaveChanges detects changes only after its interceptors. The rows of opted-in types are detected here, and the
        // rows that hold them in a navigation (a request's answers), where a row added to a collection is first seen;
        // a whole detection of every tracked row would be done twice.
        if (context.ChangeTracker.AutoDetectChangesEnabled)
        {
            foreach (var entry in context.ChangeTracker.EntriesAsTracked<object>().Where(e => optedIn.Detected.Contains(e.Metadata)))
            {
                entry.DetectChanges();
            }
        }

        var tracked = context.ChangeTracker.EntriesAsTracked<object>();
        var groups = new List<(TableShape Shape, EntityState State, IReadOnlyList<IProperty> Changed, List<EntityEntry> Entries)>();
        foreach (var type in optedIn.Types)
        {
            List<EntityEntry> entries = [.. tracked.Where(e => e.Metadata == type)];
            if (entries.Count == 0)
            {
                continue;
            }

            var shape = _shapes.GetOrAdd(type, TableShape.Of);
            if (PrincipalsAdded(type, tracked))
            {
                continue;
            }

            Add(groups, shape, EntityState.Added, shape.Columns, entries.Where(e => e.State == EntityState.Added));
            Add(groups, shape, EntityState.Deleted, shape.Keys, entries.Where(e => e.State == EntityState.Deleted));
            // Changes to a complex property (a name in two languages) are left to EF Core, which tracks them as a whole.
            var changedRows = shape.HasComplexColumns ? [] : entries.Where(e => e.State == EntityState.Modified);
            foreach (var changed in changedRows.GroupBy(e => string.Join(',', shape.ChangedColumns(e).Select(c => c.Name))))
            {
                Add(groups, shape, EntityState.Modified, shape.ChangedColumns(changed.First()), changed);
            }
        }

        // Worth a round trip of its own only for several rows of one kind of a type that leads; once it goes, every row
        // of an opted-in type goes with it (the transaction's outbox row), which may leave EF Core's batch nothing to send.
        if (!groups.Any(g => g.Entries.Count >= 2 && g.Shape.Leads))
        {
            return;
        }

        var sql = new StringBuilder();
        var parameters = new List<DbParameter>();
        foreach (var (shape, state, changed, entries) in groups)
        {
            sql.Append(state switch
            {
                EntityState.Added => shape.Insert(changed, entries, parameters),
                EntityState.Deleted => shape.Delete(entries, parameters),
                _ => shape.Update(changed, entries, parameters),
            }).Append(";\n");
        }

        // Inserts write every row or fail; an update or a removal by key finds at most one row per entry.
        var expected = groups.Sum(g => g.Entries.Count);
        int affected;
        try
        {
            affected = await context.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
        }
        catch (DbException failure)
        {
            // As EF Core reports a failed save (a unique key taken, a transient fault for the execution strategy).
            throw new DbUpdateException($"Set-based writes failed: {failure.Message}", failure);
        }

        if (affected != expected)
        {
            throw new DbUpdateConcurrencyException(
                $"Set-based writes affected {affected} rows of {expected}: a row to change or remove was not there.");
        }

        foreach (var (_, state, _, entries) in groups)
        {
            foreach (var entry in entries)
            {
                if (state == EntityState.Deleted)
                {
                    entry.State = EntityState.Detached;
                    continue;
                }

                Written(entry);
            }
        }
    }

    /// <summary>
    /// What EF Core does itself after writing a row, so that it neither writes it again nor sees its values as changes
    /// later. Its public API cannot do it whole: original values carry no complex properties (a note set after the row
    /// was added would be written again as an update).
    /// </summary>
    private static void Written(EntityEntry entry)
    {
#pragma warning disable EF1001 // The change tracker's own acceptance of a written row; covered by SetBasedWritesTests.
        entry.GetInfrastructure().AcceptChanges();
#pragma warning restore EF1001
    }

    private static void Add(
        List<(TableShape, EntityState, IReadOnlyList<IProperty>, List<EntityEntry>)> groups,
        TableShape shape, EntityState state, IReadOnlyList<IProperty> columns, IEnumerable<EntityEntry> entries)
    {
        var list = entries.ToList();
        if (list.Count > 0)
        {
            groups.Add((shape, state, columns, list));
        }
    }

    private static (IEntityType[] Types, HashSet<IEntityType> Detected) OptedIn(IModel model)
    {
        IEntityType[] types = [.. model.GetEntityTypes().Where(t => t.FindAnnotation(SetBasedWrites.Annotation) is not null)];
        var detected = types.Concat(types.SelectMany(t => t.GetForeignKeys()).Where(k => k.PrincipalToDependent is not null).Select(k => k.PrincipalEntityType)).ToHashSet();
        return (types, detected);
    }

    // A row whose principal EF Core is about to insert must follow it: left to EF Core, which orders the two.
    private static bool PrincipalsAdded(IEntityType type, IEnumerable<EntityEntry> tracked)
    {
        var principals = type.GetForeignKeys().Select(k => k.PrincipalEntityType).ToHashSet();
        return principals.Count > 0 && tracked.Any(e => e.State == EntityState.Added && principals.Contains(e.Metadata));
    }

    /// <summary>One opted-in type's table: its columns in order, how to read each from an entry, and its statements.</summary>
    private sealed class TableShape
    {
        private TableShape(string table, IReadOnlyList<IProperty> columns, IReadOnlyList<IProperty> keys, StoreObjectIdentifier store, bool leads)
        {
            Leads = leads;
            Table = table;
            Columns = columns;
            Keys = keys;
            Store = store;
        }

        public string Table { get; }

        /// <summary>Whether several rows of this type are worth the round trip (<see cref="SetBasedWrites.Leads"/>).</summary>
        public bool Leads { get; }

        public IReadOnlyList<IProperty> Columns { get; }

        public IReadOnlyList<IProperty> Keys { get; }

        public bool HasComplexColumns => Columns.Any(c => c.DeclaringType is IComplexType);

        private StoreObjectIdentifier Store { get; }

        public static TableShape Of(IEntityType type)
        {
            var name = type.GetTableName() ?? throw Unsupported(type, "it is not mapped to a table");
            var store = StoreObjectIdentifier.Table(name, type.GetSchema());
            if (type.BaseType is not null || type.GetDerivedTypes().Any() || type.IsOwned())
            {
                throw Unsupported(type, "it is in a hierarchy or owned");
            }

            var columns = type.GetFlattenedProperties().ToList();
            if (columns.FirstOrDefault(p => p.IsConcurrencyToken) is { } token)
            {
                throw Unsupported(type, $"{token.Name} is a concurrency token");
            }

            if (columns.FirstOrDefault(p => p.GetColumnType().EndsWith("[]", StringComparison.Ordinal)) is { } array)
            {
                throw Unsupported(type, $"{array.Name} is an array column");
            }

            // A Guid key is generated by EF Core in the application; anything else generated would be the store's.
            if (columns.FirstOrDefault(p => p.ValueGenerated != ValueGenerated.Never && !(p.IsPrimaryKey() && p.ClrType == typeof(Guid))) is { } generated)
            {
                throw Unsupported(type, $"{generated.Name} is generated");
            }

            if (type.GetReferencingForeignKeys().Any())
            {
                throw Unsupported(type, "other types refer to it, and removing it must follow them");
            }

            var schema = type.GetSchema();
            var table = schema is null ? Quote(name) : $"{Quote(schema)}.{Quote(name)}";
            var leads = (string?)type.FindAnnotation(SetBasedWrites.Annotation)?.Value == SetBasedWrites.Leads;
            return new TableShape(table, columns, type.FindPrimaryKey()!.Properties, store, leads);
        }

        public string Column(IProperty property) => Quote(property.GetColumnName(Store)!);

        /// <summary>The names of the properties an entry changed, in column order (the key never changes); none complex.</summary>
        public List<IProperty> ChangedColumns(EntityEntry entry) => [.. Columns.Where(p => !p.IsPrimaryKey() && entry.Property(p).IsModified)];

        public string Insert(IReadOnlyList<IProperty> columns, List<EntityEntry> entries, List<DbParameter> parameters) =>
            $"INSERT INTO {Table} ({string.Join(", ", columns.Select(Column))}) SELECT * FROM {Unnest(columns, entries, parameters, current: true)}";

        public string Update(IReadOnlyList<IProperty> changed, List<EntityEntry> entries, List<DbParameter> parameters)
        {
            List<IProperty> columns = [.. Keys, .. changed];
            return $"UPDATE {Table} AS t SET {string.Join(", ", changed.Select(c => $"{Column(c)} = v.{Column(c)}"))} " +
                $"FROM {Unnest(columns, entries, parameters, current: true)} AS v({string.Join(", ", columns.Select(Column))}) WHERE {KeysMatch()}";
        }

        public string Delete(List<EntityEntry> entries, List<DbParameter> parameters) =>
            $"DELETE FROM {Table} AS t USING {Unnest(Keys, entries, parameters, current: false)} AS v({string.Join(", ", Keys.Select(Column))}) WHERE {KeysMatch()}";

        private string KeysMatch() => string.Join(" AND ", Keys.Select(k => $"t.{Column(k)} = v.{Column(k)}"));

        /// <summary><c>unnest(@p0::type[], …)</c>: one array per column, of the values as the store takes them.</summary>
        private static string Unnest(IReadOnlyList<IProperty> columns, List<EntityEntry> entries, List<DbParameter> parameters, bool current)
        {
            var arrays = new List<string>(columns.Count);
            foreach (var column in columns)
            {
                var converter = column.GetTypeMapping().Converter;
                var provider = converter?.ProviderClrType ?? column.ClrType;
                if (provider.IsValueType && Nullable.GetUnderlyingType(provider) is null && column.IsColumnNullable())
                {
                    provider = typeof(Nullable<>).MakeGenericType(provider);
                }

                var values = Array.CreateInstance(provider, entries.Count);
                for (var i = 0; i < entries.Count; i++)
                {
                    var value = ValueOf(entries[i], column, current);
                    values.SetValue(value is null ? null : converter is null ? value : converter.ConvertToProvider(value), i);
                }

                var name = $"sbw{parameters.Count}";
                parameters.Add(new NpgsqlParameter(name, values));
                arrays.Add($"@{name}::{column.GetColumnType()}[]");
            }

            return $"unnest({string.Join(", ", arrays)})";
        }

        private static object? ValueOf(EntityEntry entry, IProperty property, bool current)
        {
            if (property.DeclaringType is IEntityType)
            {
                return current ? entry.CurrentValues[property] : entry.OriginalValues[property];
            }

            // A column of a complex property (a name in Finnish and English): read through the chain of complex values.
            var owner = ComplexValueOf(entry.Entity, (IComplexType)property.DeclaringType);
            return owner is null ? null : property.GetGetter().GetClrValue(owner);
        }

        private static object? ComplexValueOf(object entity, IComplexType type)
        {
            var property = type.ComplexProperty;
            var container = property.DeclaringType is IComplexType outer ? ComplexValueOf(entity, outer) : entity;
            return container is null ? null : property.GetGetter().GetClrValue(container);
        }

        private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

        private static InvalidOperationException Unsupported(IEntityType type, string why) =>
            new($"{type.DisplayName()} cannot be written set-based: {why}.");
    }
}
