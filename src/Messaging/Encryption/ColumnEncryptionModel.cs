using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace Procexon.Messaging.Encryption;

/// <summary>Encrypted columns in an EF model: clear values in memory, <see cref="ColumnEncryption"/> bytes in the column.</summary>
public static class EncryptedColumns
{
    /// <summary>Marks a property as encrypted, with the <c>table.column</c> its values are bound to (<see cref="EncryptedColumnRewrap{TContext}"/>).</summary>
    public const string Annotation = "Procexon:EncryptedColumn";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Rewrites, after each start, what a rotation left under a previous key.</summary>
    public static IServiceCollection AddEncryptedColumnRewrap<TContext>(this IServiceCollection services) where TContext : DbContext =>
        services.AddHostedService<EncryptedColumnRewrap<TContext>>();

    /// <summary>
    /// Gives the context its encryption, so the model (and its converters) is built with that key: the context reads
    /// it back with <see cref="EncryptionOf{TEncryption}"/> in <c>OnModelCreating</c>.
    /// </summary>
    public static TBuilder UseColumnEncryption<TBuilder>(this TBuilder options, ColumnEncryption encryption)
        where TBuilder : DbContextOptionsBuilder
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new ColumnEncryptionOptionsExtension(encryption));
        return options;
    }

    public static TEncryption EncryptionOf<TEncryption>(this DbContextOptions options) where TEncryption : ColumnEncryption =>
        options.FindExtension<ColumnEncryptionOptionsExtension>()?.Encryption as TEncryption
        ?? throw new InvalidOperationException($"The context needs UseColumnEncryption(a {typeof(TEncryption).Name}): personal values are encrypted at rest.");

    /// <summary>The tables and columns under the context's column encryption, read from its model.</summary>
    public static IReadOnlyList<(string Table, string[] Key, string[] Columns)> Tables(IModel model) =>
    [
        .. model.GetEntityTypes()
            .Select(entity => (Entity: entity, Places: entity.GetProperties()
                .Concat(entity.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties()))
                .Select(p => p.FindAnnotation(Annotation)?.Value as string).OfType<string>()
                .Select(place => place.Split('.', 2)).ToList()))
            .Where(e => e.Places.Count > 0)
            .Select(e => (e.Places[0][0], e.Entity.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName()).ToArray(),
                e.Places.Select(p => p[1]).ToArray())),
    ];

    /// <summary>A clear string in memory, AES-GCM bytes in <paramref name="table"/>.<paramref name="column"/>, bound to that place.</summary>
    public static PropertyBuilder<string?> Encrypted(this PropertyBuilder<string?> property, ColumnEncryption encryption, string table, string column) => property
        .HasAnnotation(Annotation, $"{table}.{column}")
        .HasColumnName(column)
        .HasColumnType("bytea")
        .HasConversion(Converter(encryption, table, column));

    public static ComplexTypePropertyBuilder<string?> Encrypted(
        this ComplexTypePropertyBuilder<string?> property, ColumnEncryption encryption, string table, string column) => property
        .HasAnnotation(Annotation, $"{table}.{column}")
        .HasColumnName(column)
        .HasColumnType("bytea")
        .HasConversion(Converter(encryption, table, column));

    /// <summary>A value serialised to JSON (web defaults), then encrypted, bound to <paramref name="table"/>.<paramref name="column"/>.</summary>
    public static PropertyBuilder<T> EncryptedJson<T>(this PropertyBuilder<T> property, ColumnEncryption encryption, string table, string column)
        where T : class => property
        .HasAnnotation(Annotation, $"{table}.{column}")
        .HasColumnName(column)
        .HasColumnType("bytea")
        .HasConversion(
            value => encryption.Encrypt(table, column, JsonSerializer.Serialize(value, s_json)),
            stored => JsonSerializer.Deserialize<T>(encryption.Decrypt(table, column, stored), s_json)!,
            // Compared by the clear JSON: the ciphertext differs on every write.
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, s_json) == JsonSerializer.Serialize(b, s_json),
                value => JsonSerializer.Serialize(value, s_json).GetHashCode(StringComparison.Ordinal),
                value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, s_json), s_json)!));

    // A fresh nonce on every write: comparing ciphertexts in a query would never match, so nothing queries these columns.
    private static ValueConverter<string?, byte[]> Converter(ColumnEncryption encryption, string table, string column) => new(
        value => encryption.Encrypt(table, column, value!),
        stored => encryption.Decrypt(table, column, stored));
}

/// <summary>Carries the encryption into the context's options.</summary>
public sealed class ColumnEncryptionOptionsExtension(ColumnEncryption encryption) : IDbContextOptionsExtension
{
    public ColumnEncryption Encryption { get; } = encryption;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    // Other keys, another internal service provider, hence another cached model with those keys' converters.
    private sealed class ExtensionInfo(ColumnEncryptionOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        private new ColumnEncryptionOptionsExtension Extension => (ColumnEncryptionOptionsExtension)base.Extension;

        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "ColumnEncryption ";

        public override int GetServiceProviderHashCode() => StringComparer.Ordinal.GetHashCode(Extension.Encryption.Fingerprint);

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) =>
            other is ExtensionInfo info && info.Extension.Encryption.Fingerprint == Extension.Encryption.Fingerprint;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["ColumnEncryption"] = Extension.Encryption.Fingerprint;
    }
}
