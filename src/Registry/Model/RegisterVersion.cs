namespace Procexon.Registry.Model;

/// <summary>
/// One version of a register's description: what the record of processing said from <see cref="ValidFrom"/> until the
/// next version took effect, who changed it and why. Versions are only added, never changed, so the catalogue as of
/// any instant can be shown.
/// </summary>
public sealed class RegisterVersion
{
    /// <summary>The column's length, the same as the longest actor a token gives (<see cref="AuthenticationExtensions.Actor"/>).</summary>
    public const int MaxChangedByLength = 200;

    public required string Slug { get; init; }

    /// <summary>1 for the register as seeded from the privacy notice, then one more for each edit.</summary>
    public required int Version { get; init; }

    /// <summary>The register's place in the notice, kept here so that a past catalogue lists in the same order.</summary>
    public required int Position { get; init; }

    public required RegisterDescription Description { get; init; }

    public required DateTimeOffset ValidFrom { get; init; }

    /// <summary>Who made the change: the caller as their token names them (at most 200 characters).</summary>
    public required string ChangedBy { get; init; }

    /// <summary>What changed and why (at most 2000 characters).</summary>
    public required string ChangeNote { get; init; }

    /// <summary>The register's current description as a version row, valid from the register's <c>UpdatedAt</c>.</summary>
    public static RegisterVersion Of(Register register, string changedBy, string changeNote) => new()
    {
        Slug = register.Slug,
        Version = register.Version,
        Position = register.Position,
        Description = register.Description,
        ValidFrom = register.UpdatedAt,
        ChangedBy = changedBy,
        ChangeNote = changeNote,
    };
}

public static class CatalogueHistory
{
    /// <summary>
    /// The version of each register in force at <paramref name="instant"/>: the newest one that had taken effect by
    /// then. A register whose first version is later is not in the result: it did not exist yet.
    /// </summary>
    public static IQueryable<RegisterVersion> InForceAt(this IQueryable<RegisterVersion> versions, DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime(); // Npgsql writes timestamptz parameters in UTC only.
        return versions.Where(v => v.ValidFrom <= utc
            && !versions.Any(later => later.Slug == v.Slug && later.Version > v.Version && later.ValidFrom <= utc));
    }
}
