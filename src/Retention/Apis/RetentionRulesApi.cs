namespace Procexon.Retention.Apis;

public static class RetentionRulesApi
{
    public static IEndpointRouteBuilder MapRetentionRulesApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/retention/rules").WithTags("Retention rules")
            .RequireAuthorization(Policies.ReadRetention);

        rules.MapGet("/", ListRules)
            .WithName("ListRetentionRules")
            .WithSummary("Retention rules per register and legal basis, optionally filtered by either.");

        // ProblemHttpResult carries no status of its own, so the 404 is declared for the OpenAPI document.
        rules.MapGet("/{id}", GetRule)
            .WithName("GetRetentionRule")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One retention rule: its legal basis, statute, period, the event it runs from and what happens at its end.");

        return app;
    }

    public static async Task<Results<Ok<List<RetentionRuleDto>>, ValidationProblem>> ListRules(
        string? register, string? legalBasis, RetentionContext db, CancellationToken cancellationToken)
    {
        if (legalBasis is not null && !LegalBases.IsKnown(legalBasis))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["legalBasis"] = [$"Unknown legal basis '{legalBasis}'. Use one of: {string.Join(", ", LegalBases.All)}."],
            });
        }

        var query = db.RetentionRules.AsNoTracking();
        if (register is not null)
        {
            query = query.Where(r => r.Register == register);
        }

        if (legalBasis is not null)
        {
            query = query.Where(r => r.LegalBasis == legalBasis);
        }

        var found = await query.OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(found.ConvertAll(RetentionRuleDto.From));
    }

    public static async Task<Results<Ok<RetentionRuleDto>, ProblemHttpResult>> GetRule(
        string id, RetentionContext db, CancellationToken cancellationToken)
    {
        var found = await db.RetentionRules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (found is null)
        {
            return TypedResults.Problem(
                title: "Unknown retention rule",
                detail: $"There is no retention rule '{id}'. GET /api/retention/rules lists them.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["id"] = id });
        }

        return TypedResults.Ok(RetentionRuleDto.From(found));
    }
}

public sealed record RetentionRuleDto(
    string Id,
    string Register,
    string LegalBasis,
    LocalizedText? Statute,
    string? Period,
    string StartsAt,
    string OnExpiry,
    LocalizedText Description)
{
    public static RetentionRuleDto From(RetentionRule rule) => new(
        rule.Id,
        rule.Register,
        rule.LegalBasis,
        rule is { StatuteFi: { } fi, StatuteEn: { } en } ? new LocalizedText(fi, en) : null,
        rule.Period,
        rule.StartsAt,
        rule.OnExpiry,
        new LocalizedText(rule.DescriptionFi, rule.DescriptionEn));
}
