using Procexon.ServiceDefaults.Problems;

namespace Procexon.Registry.Apis;

public static class RecordsApi
{
    private const int MaxFields = 50;

    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        var manage = app.MapGroup("/api/registers/{register}/records").WithTags("Records").RequireAuthorization(Policies.ManageSubjects);
        var records = app.MapGroup("/api/registers/{register}/records").WithTags("Records").RequireAuthorization(Policies.ReadSubjects);

        manage.MapPost("/", AddRecord)
            .WithName("AddRecord")
            .WithSummary("A record of a subject in a register: the subject by id or identifiers, a data category of the register, its fields.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        records.MapGet("/{id:guid}", GetRecord).WithName("GetRecord").ProducesProblem(StatusCodes.Status404NotFound);

        manage.MapPatch("/{id:guid}", UpdateRecord)
            .WithName("UpdateRecord")
            .WithSummary("Changes fields of a record (a null value removes the field); refused with 409 while the record is restricted.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    public static async Task<Results<Created<RecordDto>, ValidationProblem, ProblemHttpResult>> AddRecord(
        string register, AddRecordBody body, RegistryContext db, SuppressionKeys suppression, TimeProvider clock, CancellationToken cancellationToken)
    {
        var catalogue = await db.Registers.AsNoTracking().SingleOrDefaultAsync(r => r.Slug == register, cancellationToken);
        if (catalogue is null)
        {
            return TypedResults.Problem(
                title: "Unknown register",
                detail: $"There is no register '{register}'.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["register"] = register });
        }

        var errors = new Dictionary<string, string[]>();
        ValidSubjectIdentifiers? identifiers = null;
        if (body.SubjectId is null == (body.Subject is null))
        {
            errors["subjectId"] = ["Give either subjectId or subject (identifiers), not both and not neither."];
        }
        else if (body.Subject is not null)
        {
            identifiers = ValidSubjectIdentifiers.Validate(body.Subject, "subject", errors);
        }

        var categories = catalogue.Description.DataCategories.Select(c => c.Code).ToList();
        if (string.IsNullOrWhiteSpace(body.Category) || !categories.Contains(body.Category))
        {
            errors["category"] = [$"The {register} register holds these categories: {string.Join(", ", categories)}."];
        }

        var fields = body.Fields ?? [];
        if (fields.Count > MaxFields || fields.Any(f => f.Key.Length is 0 or > 64 || f.Value is null || f.Value.Length > 4000))
        {
            errors["fields"] = [$"At most {MaxFields} fields, each with a name of 1–64 characters and a value of at most 4000."];
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (body.RecordedOn > today.AddDays(1))
        {
            errors["recordedOn"] = ["The date a record arose cannot be in the future."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The record is not valid.");
        }

        var subject = body.SubjectId is { } subjectId
            ? await db.Subjects.SingleOrDefaultAsync(s => s.Id == subjectId, cancellationToken)
            : await FindOrCreateAsync(db, identifiers!, clock, cancellationToken);
        if (subject is null)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["subjectId"] = ["There is no subject with this id."] }, title: "The record is not valid.");
        }

        if (register == "marketing" && await IsSuppressedAsync(db, suppression, subject, cancellationToken))
        {
            return TypedResults.Problem(
                type: ProblemTypes.Uri("objected-to-direct-marketing"),
                title: "The subject has objected to direct marketing",
                detail: "This person's data was erased from the marketing register and must not be added again (GDPR Art 21(3)).",
                statusCode: StatusCodes.Status409Conflict);
        }

        if (await SubjectRestrictions.InForceAsync(db, subject.Id, register, cancellationToken) is { } restriction)
        {
            return RecordProblems.Restricted(restriction.Reason, register);
        }

        var record = new RegisterRecord
        {
            Id = Guid.CreateVersion7(),
            SubjectId = subject.Id,
            Register = register,
            Category = body.Category!,
            Fields = new Dictionary<string, string>(fields),
            RecordedOn = body.RecordedOn ?? today,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Records.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/registers/{register}/records/{record.Id}", RecordDto.From(record));
    }

    public static async Task<Results<Ok<RecordDto>, ProblemHttpResult>> GetRecord(
        string register, Guid id, RegistryContext db, CancellationToken cancellationToken)
    {
        var record = await db.Records.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.Register == register, cancellationToken);
        return record is null
            ? TypedResults.Problem(title: "Unknown record", detail: $"There is no record {id} in {register}.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(RecordDto.From(record));
    }

    public static async Task<Results<Ok<RecordDto>, ValidationProblem, ProblemHttpResult>> UpdateRecord(
        string register, Guid id, UpdateRecordBody body, RegistryContext db, CancellationToken cancellationToken)
    {
        var record = await db.Records.SingleOrDefaultAsync(r => r.Id == id && r.Register == register, cancellationToken);
        if (record is null)
        {
            return TypedResults.Problem(title: "Unknown record", detail: $"There is no record {id} in {register}.", statusCode: StatusCodes.Status404NotFound);
        }

        var changes = body.Fields ?? [];
        if (changes.Count is 0 or > MaxFields || changes.Any(f => f.Key.Length is 0 or > 64 || f.Value is { Length: > 4000 }))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["fields"] = [$"Give 1–{MaxFields} fields, each with a name of 1–64 characters and a value of at most 4000 (null removes it)."] },
                title: "The change is not valid.");
        }

        if (await SubjectRestrictions.InForceAsync(db, record.SubjectId, register, cancellationToken) is { } restriction)
        {
            return RecordProblems.Restricted(restriction.Reason, register);
        }

        if (record.LegalHoldId is not null)
        {
            return RecordProblems.Restricted(
                "The subject asked for erasure and the record is kept only under a legal hold for legal claims (GDPR Art 17(3)(e)): it is not processed and cannot be changed.", register);
        }

        if (record.State != RecordState.Active)
        {
            return RecordProblems.Restricted(
                "The record is kept only because the law requires it (or is in a backup put beyond use): it is not processed and cannot be changed.", register);
        }

        var fields = new Dictionary<string, string>(record.Fields);
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                fields.Remove(name);
            }
            else
            {
                fields[name] = value;
            }
        }

        record.Fields = fields;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(RecordDto.From(record));
    }

    private static async Task<Subject> FindOrCreateAsync(
        RegistryContext db, ValidSubjectIdentifiers identifiers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var existing = await SubjectLookup.Matching(db.Subjects, identifiers.ToKeys()).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var subject = SubjectLookup.NewSubject(identifiers, clock);
        db.Subjects.Add(subject);
        return subject;
    }

    private static async Task<bool> IsSuppressedAsync(RegistryContext db, SuppressionKeys suppression, Subject subject, CancellationToken cancellationToken)
    {
        var hashes = suppression.Checked(subject.Email, subject.Phone).Select(k => k.Hash).ToList();
        return hashes.Count > 0 && await db.SuppressionEntries.AnyAsync(e => hashes.Contains(e.KeyHash), cancellationToken);
    }
}

public sealed record UpdateRecordBody(Dictionary<string, string?>? Fields);

public sealed record AddRecordBody(
    Guid? SubjectId,
    SubjectIdentifiersInput? Subject,
    string? Category,
    Dictionary<string, string>? Fields,
    DateOnly? RecordedOn);
