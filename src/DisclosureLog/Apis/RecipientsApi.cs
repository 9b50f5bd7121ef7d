namespace Procexon.DisclosureLog.Apis;

public static class RecipientsApi
{
    public static IEndpointRouteBuilder MapRecipientsApi(this IEndpointRouteBuilder app)
    {
        var recipients = app.MapGroup("/api/recipients").WithTags("Recipients")
            .RequireAuthorization(Policies.ReadDisclosures);

        recipients.MapGet("/", ListRecipients)
            .WithName("ListRecipients")
            .WithSummary("Everyone personal data may be disclosed to, in the order of the privacy notice, optionally by role.");

        // ProblemHttpResult carries no status of its own, so the 404 is declared for the OpenAPI document.
        recipients.MapGet("/{recipient}", GetRecipient)
            .WithName("GetRecipient")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One recipient: its role, country, transfer safeguard, data categories and whether it is told of erasures.");

        return app;
    }

    public static async Task<Results<Ok<List<RecipientDto>>, ValidationProblem>> ListRecipients(
        string? role, DisclosureLogContext db, CancellationToken cancellationToken)
    {
        if (role is not null && !RecipientRoles.IsKnown(role))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["role"] = [$"Unknown role '{role}'. Use one of: {string.Join(", ", RecipientRoles.All)}."],
            });
        }

        var query = db.Recipients.AsNoTracking();
        if (role is not null)
        {
            query = query.Where(r => r.Role == role);
        }

        var found = await query.OrderBy(r => r.Position).ThenBy(r => r.Slug).ToListAsync(cancellationToken);
        return TypedResults.Ok(found.ConvertAll(RecipientDto.From));
    }

    public static async Task<Results<Ok<RecipientDto>, ProblemHttpResult>> GetRecipient(
        string recipient, DisclosureLogContext db, CancellationToken cancellationToken)
    {
        var found = await db.Recipients.AsNoTracking().SingleOrDefaultAsync(r => r.Slug == recipient, cancellationToken);
        if (found is null)
        {
            var known = await db.Recipients.OrderBy(r => r.Position).Select(r => r.Slug).ToListAsync(cancellationToken);
            return TypedResults.Problem(
                title: "Unknown recipient",
                detail: $"There is no recipient '{recipient}'. Recipients: {string.Join(", ", known)}.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["recipient"] = recipient });
        }

        return TypedResults.Ok(RecipientDto.From(found));
    }
}

public sealed record RecipientDto(
    string Slug,
    LocalizedText Name,
    string Role,
    string Channel,
    LocalizedText Description,
    string Country,
    bool OutsideEuEea,
    LocalizedText? Safeguard,
    bool ReceivesErasureNotices,
    IReadOnlyList<string> Categories)
{
    public static RecipientDto From(Recipient recipient) => new(
        recipient.Slug,
        new LocalizedText(recipient.NameFi, recipient.NameEn),
        recipient.Role,
        recipient.Channel,
        new LocalizedText(recipient.DescriptionFi, recipient.DescriptionEn),
        recipient.Country,
        recipient.OutsideEuEea,
        recipient is { SafeguardFi: { } fi, SafeguardEn: { } en } ? new LocalizedText(fi, en) : null,
        recipient.ReceivesErasureNotices,
        recipient.Categories);
}
