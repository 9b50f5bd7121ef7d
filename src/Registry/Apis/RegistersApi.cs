namespace Procexon.Registry.Apis;

public static class RegistersApi
{
    public static IEndpointRouteBuilder MapRegistersApi(this IEndpointRouteBuilder app)
    {
        var registers = app.MapGroup("/api/registers").WithTags("Registers");

        registers.MapGet("/", ListRegisters)
            .WithName("ListRegisters")
            .WithSummary("The record of processing: every register, in the order of the privacy notice.");

        registers.MapGet("/{register}", GetRegister)
            .WithName("GetRegister")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One register: purposes, legal bases, data categories, sources, retention, recipients, transfers.");

        return app;
    }

    public static async Task<Ok<List<RegisterDto>>> ListRegisters(RegistryContext db, CancellationToken cancellationToken)
    {
        var registers = await db.Registers.AsNoTracking().OrderBy(r => r.Position).ToListAsync(cancellationToken);
        return TypedResults.Ok(registers.ConvertAll(RegisterDto.From));
    }

    public static async Task<Results<Ok<RegisterDto>, ProblemHttpResult>> GetRegister(
        string register, RegistryContext db, CancellationToken cancellationToken)
    {
        var found = await db.Registers.AsNoTracking().SingleOrDefaultAsync(r => r.Slug == register, cancellationToken);
        if (found is null)
        {
            var known = await db.Registers.OrderBy(r => r.Position).Select(r => r.Slug).ToListAsync(cancellationToken);
            return TypedResults.Problem(
                title: "Unknown register",
                detail: $"There is no register '{register}'. Registers: {string.Join(", ", known)}.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["register"] = register });
        }

        return TypedResults.Ok(RegisterDto.From(found));
    }
}

public sealed record RegisterDto(
    string Slug,
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
    public static RegisterDto From(Register register)
    {
        var d = register.Description;
        return new(register.Slug, d.Name, d.Description, d.Purposes, d.LegalBases, d.DataCategories, d.Sources,
            d.Retention, d.RetentionRules, d.Recipients, d.TransfersOutsideEuEea, d.OnErasure, register.UpdatedAt);
    }
}
