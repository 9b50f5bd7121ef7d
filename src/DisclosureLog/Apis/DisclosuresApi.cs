using Procexon.Contracts.Identifiers;
using Procexon.ServiceDefaults.Problems;

namespace Procexon.DisclosureLog.Apis;

public static class DisclosuresApi
{
    public static IEndpointRouteBuilder MapDisclosuresApi(this IEndpointRouteBuilder app)
    {
        var disclosures = app.MapGroup("/api/disclosures").WithTags("Disclosures");

        // Recording and reading are granted apart: a register admin records what it disclosed, an auditor reads the log.
        disclosures.MapPost("/", RecordDisclosure)
            .RequireAuthorization(Policies.RecordDisclosures)
            .WithName("RecordDisclosure")
            .WithSummary("Records that a subject's data was disclosed to a recipient; a recipient told of erasures gets its copy as an event.");

        disclosures.MapGet("/", ListDisclosures)
            .RequireAuthorization(Policies.ReadDisclosures)
            .WithName("ListDisclosures")
            .WithSummary("Every disclosure of one subject's data, oldest first.");

        disclosures.MapGet("/log", ListLog)
            .RequireAuthorization(Policies.ReadDisclosures)
            .WithName("ListDisclosureLog")
            .WithSummary("One page of the whole disclosure log, newest first, optionally of one recipient; paged and counted in the database.");

        // ProblemHttpResult carries no status of its own, so the 404 is declared for the OpenAPI document.
        disclosures.MapGet("/{id:guid}", GetDisclosure)
            .RequireAuthorization(Policies.ReadDisclosures)
            .WithName("GetDisclosure")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Created<DisclosureDto>, ValidationProblem>> RecordDisclosure(
        RecordDisclosureBody body, DisclosureLogContext db, IEventOutbox outbox, PublicAddress schemas, TimeProvider clock, CancellationToken cancellationToken)
    {
        var recipients = await db.Recipients.AsNoTracking().OrderBy(r => r.Position).ToListAsync(cancellationToken);
        var errors = new Dictionary<string, string[]>();
        var valid = body.Validate(recipients.ConvertAll(r => r.Slug), errors);
        if (valid is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The disclosure is not valid.");
        }

        var disclosure = new Disclosure
        {
            Id = Guid.CreateVersion7(),
            Recipient = valid.Recipient,
            SubjectId = valid.SubjectId,
            Categories = [.. valid.Categories],
            LegalBasis = valid.LegalBasis,
            DisclosedAt = clock.GetUtcNowToMicroseconds(),
            EmailMasked = valid.Email?.ToString(),
            PhoneMasked = valid.Phone?.ToString(),
            CustomerNumberMasked = Disclosure.MaskTail(valid.CustomerNumber?.Value),
            BusinessIdMasked = Disclosure.MaskTail(valid.BusinessId?.Value),
        };
        db.Disclosures.Add(disclosure);

        // A recipient that is told of erasures keeps a copy of what it got, on its own channel; staff and authorities
        // are not sent one.
        var recipient = recipients.Single(r => r.Slug == disclosure.Recipient);
        if (recipient.ReceivesErasureNotices)
        {
            outbox.SendTo(db, recipient, new DataDisclosed(
                disclosure.Id,
                disclosure.Recipient,
                disclosure.SubjectId,
                // From the request, not the row: the log keeps only masked forms.
                new SubjectKeys(valid.Email?.Value, valid.Phone?.Value, Hetu: null, valid.BusinessId?.Value, valid.CustomerNumber?.Value),
                disclosure.Categories,
                disclosure.LegalBasis), disclosure.DisclosedAt, schemas);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/disclosures/{disclosure.Id}", DisclosureDto.From(disclosure));
    }

    public static async Task<Results<Ok<List<DisclosureDto>>, ValidationProblem>> ListDisclosures(
        string? subject, DisclosureLogContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(subject, out var subjectId) || subjectId == Guid.Empty)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["subject"] = [subject is null
                    ? "Give the subject: ?subject={id}, the subject's id in the Registry."
                    : "The subject is not a subject id (a non-empty GUID)."],
            });
        }

        var found = await db.Disclosures.AsNoTracking()
            .Where(d => d.SubjectId == subjectId)
            .OrderBy(d => d.DisclosedAt).ThenBy(d => d.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(found.ConvertAll(DisclosureDto.From));
    }

    /// <summary>
    /// The log across subjects, for staff who review what went where: it grows with every disclosure, so it is only
    /// ever read a page at a time.
    /// </summary>
    public static async Task<Results<Ok<DisclosureLogPageDto>, ValidationProblem>> ListLog(
        string? recipient, int? page, int? pageSize, DisclosureLogContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Of(page, pageSize, "disclosures", errors);
        var slug = string.IsNullOrWhiteSpace(recipient) ? null : recipient.Trim();
        if (slug is not null && !await db.Recipients.AnyAsync(r => r.Slug == slug, cancellationToken))
        {
            errors["recipient"] = ["Unknown recipient: GET /api/recipients lists them."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is not valid.");
        }

        var query = db.Disclosures.AsNoTracking();
        if (slug is not null)
        {
            query = query.Where(d => d.Recipient == slug);
        }

        var total = await query.CountAsync(cancellationToken);
        var found = await query.OrderByDescending(d => d.DisclosedAt).ThenByDescending(d => d.Id)
            .Skip(paging.Skip).Take(paging.Size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new DisclosureLogPageDto(found.ConvertAll(DisclosureDto.From), paging.Number, paging.Size, total));
    }

    public static async Task<Results<Ok<DisclosureDto>, ProblemHttpResult>> GetDisclosure(
        Guid id, DisclosureLogContext db, CancellationToken cancellationToken)
    {
        var found = await db.Disclosures.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        return found is null
            ? TypedResults.Problem(
                title: "Unknown disclosure",
                detail: $"There is no disclosure {id}.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["id"] = id })
            : TypedResults.Ok(DisclosureDto.From(found));
    }
}

/// <summary>A disclosure as staff see it: the identifiers that went, masked as the log keeps them.</summary>
public sealed record DisclosureDto(
    Guid Id,
    string RecipientId,
    Guid SubjectId,
    IReadOnlyList<string> Categories,
    string LegalBasis,
    DateTimeOffset DisclosedAt,
    DisclosedSubjectDto Subject)
{
    public static DisclosureDto From(Disclosure disclosure) => new(
        disclosure.Id,
        disclosure.Recipient,
        disclosure.SubjectId,
        disclosure.Categories,
        disclosure.LegalBasis,
        disclosure.DisclosedAt,
        new DisclosedSubjectDto(disclosure.EmailMasked, disclosure.PhoneMasked, disclosure.CustomerNumberMasked, disclosure.BusinessIdMasked));
}

/// <summary>A page of the disclosure log; <see cref="Total"/> counts the disclosures of every page under the filter.</summary>
public sealed record DisclosureLogPageDto(IReadOnlyList<DisclosureDto> Items, int Page, int PageSize, int Total);

public sealed record DisclosedSubjectDto(string? Email, string? Phone, string? CustomerNumber, string? BusinessId);
