using System.ComponentModel;

namespace Procexon.Registry.Apis;

public static class RegistersApi
{
    public static IEndpointRouteBuilder MapRegistersApi(this IEndpointRouteBuilder app)
    {
        var registers = app.MapGroup("/api/registers").WithTags("Registers").RequireAuthorization(Policies.ReadCatalogue);

        registers.MapGet("/", ListRegisters)
            .WithName("ListRegisters")
            .WithSummary("The record of processing: every register, in the order of the privacy notice; with asOf, as it stood then.");

        registers.MapGet("/{register}", GetRegister)
            .WithName("GetRegister")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One register: purposes, legal bases, data categories, sources, retention, recipients, transfers; with asOf, as it stood then.");

        return app;
    }

    public const string AsOfDescription =
        "The catalogue as it stood at this instant: a date (2020-01-01: the end of that day in Finnish time) or an ISO 8601 date-time.";

    public static async Task<Results<Ok<List<RegisterDto>>, ValidationProblem>> ListRegisters(
        [Description(AsOfDescription)] string? asOf, RegistryContext db, CancellationToken cancellationToken)
    {
        if (asOf is null)
        {
            var registers = await db.Registers.AsNoTracking().OrderBy(r => r.Position).ToListAsync(cancellationToken);
            return TypedResults.Ok(registers.ConvertAll(RegisterDto.From));
        }

        if (!CatalogueAsOf.TryParse(asOf, out var instant))
        {
            return RegisterProblems.BadAsOf();
        }

        var versions = await db.RegisterVersions.AsNoTracking().InForceAt(instant).OrderBy(v => v.Position).ToListAsync(cancellationToken);
        return TypedResults.Ok(versions.ConvertAll(RegisterDto.From));
    }

    public static async Task<Results<Ok<RegisterDto>, ValidationProblem, ProblemHttpResult>> GetRegister(
        string register, [Description(AsOfDescription)] string? asOf, RegistryContext db, CancellationToken cancellationToken)
    {
        var instant = DateTimeOffset.MaxValue;
        if (asOf is not null && !CatalogueAsOf.TryParse(asOf, out instant))
        {
            return RegisterProblems.BadAsOf();
        }

        var found = await db.Registers.AsNoTracking().SingleOrDefaultAsync(r => r.Slug == register, cancellationToken);
        if (found is null)
        {
            return await RegisterProblems.UnknownAsync(db, register, cancellationToken);
        }

        if (asOf is null)
        {
            return TypedResults.Ok(RegisterDto.From(found));
        }

        var version = await db.RegisterVersions.AsNoTracking().Where(v => v.Slug == register).InForceAt(instant).SingleOrDefaultAsync(cancellationToken);
        if (version is null)
        {
            var first = await db.RegisterVersions.Where(v => v.Slug == register).MinAsync(v => (DateTimeOffset?)v.ValidFrom, cancellationToken);
            return RegisterProblems.NotYet(register, asOf, first);
        }

        return TypedResults.Ok(RegisterDto.From(version));
    }
}

/// <summary>A register as the catalogue shows it; <c>updatedAt</c> is when this version took effect.</summary>
public sealed record RegisterDto(
    string Slug,
    int Version,
    LocalizedText Name,
    LocalizedText Description,
    IReadOnlyList<Purpose> Purposes,
    IReadOnlyList<string> LegalBases,
    IReadOnlyList<CodedName> DataCategories,
    IReadOnlyList<CodedName> Sources,
    LocalizedText Retention,
    IReadOnlyList<string> RetentionRules,
    IReadOnlyList<string> Recipients,
    TransferPolicy TransfersOutsideEuEea,
    LocalizedText OnErasure,
    DateTimeOffset UpdatedAt)
{
    public static RegisterDto From(Register register) => From(register.Slug, register.Version, register.Description, register.UpdatedAt);

    public static RegisterDto From(RegisterVersion version) => From(version.Slug, version.Version, version.Description, version.ValidFrom);

    private static RegisterDto From(string slug, int version, RegisterDescription d, DateTimeOffset updatedAt) => new(
        slug, version, d.Name, d.Description, d.Purposes, d.LegalBases, d.DataCategories, d.Sources,
        d.Retention, d.RetentionRules, d.Recipients, d.TransfersOutsideEuEea, d.OnErasure, updatedAt);
}

/// <summary>The problems (RFC 9457) the catalogue endpoints answer with.</summary>
public static class RegisterProblems
{
    public static async Task<ProblemHttpResult> UnknownAsync(RegistryContext db, string register, CancellationToken cancellationToken)
    {
        var known = await db.Registers.OrderBy(r => r.Position).Select(r => r.Slug).ToListAsync(cancellationToken);
        return TypedResults.Problem(
            title: "Unknown register",
            detail: $"There is no register '{register}'. Registers: {string.Join(", ", known)}.",
            statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["register"] = register });
    }

    public static ProblemHttpResult NotYet(string register, string asOf, DateTimeOffset? firstValidFrom)
    {
        DateTimeOffset? validFrom = firstValidFrom is { } first ? TimeZoneInfo.ConvertTime(first, CatalogueAsOf.FinnishTime) : null;
        return TypedResults.Problem(
            title: "The register did not exist yet",
            detail: $"The register '{register}' did not exist yet at {asOf}; it is in the catalogue from {validFrom:yyyy-MM-dd'T'HH:mm:sszzz}.",
            statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["register"] = register, ["asOf"] = asOf, ["validFrom"] = validFrom });
    }

    public static ValidationProblem BadAsOf() => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["asOf"] = [$"Give {CatalogueAsOf.Expected}."] },
        title: "The asOf instant is not valid.");
}
