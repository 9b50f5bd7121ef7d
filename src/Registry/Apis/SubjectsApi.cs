using Npgsql;

namespace Procexon.Registry.Apis;

public static class SubjectsApi
{
    public static IEndpointRouteBuilder MapSubjectsApi(this IEndpointRouteBuilder app)
    {
        var manage = app.MapGroup("/api/subjects").WithTags("Subjects").RequireAuthorization(Policies.ManageSubjects);
        var subjects = app.MapGroup("/api/subjects").WithTags("Subjects").RequireAuthorization(Policies.ReadSubjects);

        manage.MapPost("/", CreateSubject)
            .WithName("CreateSubject")
            .WithSummary("A data subject with at least one identifier: email, phone, hetu, businessId, customerNumber.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        // A POST, not a GET with the identifiers in the query string: URLs end up in logs, traces and browser history.
        subjects.MapPost("/search", FindSubjects)
            .WithName("FindSubjects")
            .WithSummary("Finds subjects by any identifier (email, phone, hetu, businessId, customerNumber) and says where each is held. Each search is recorded: who, when, by which kinds of identifier, how many found.");

        app.MapGroup("/api/subjects").WithTags("Subjects").RequireAuthorization(Policies.ReadAuditTrail)
            .MapGet("/searches", ListSubjectSearches)
            .WithName("ListSubjectSearches")
            .WithSummary("The subject searches of a period (from, to: Finnish calendar days, inclusive; default the last 30 days), newest first: who searched, when, by which kinds of identifier, how many found.");

        subjects.MapGet("/{id:guid}", GetSubject).WithName("GetSubject").ProducesProblem(StatusCodes.Status404NotFound);

        subjects.MapGet("/{id:guid}/records", GetSubjectRecords)
            .WithName("GetSubjectRecords")
            .WithSummary("Everything held on the subject, per register.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Created<SubjectDto>, ValidationProblem, ProblemHttpResult>> CreateSubject(
        SubjectIdentifiersInput body, RegistryContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var identifiers = ValidSubjectIdentifiers.Validate(body, "", errors);
        if (identifiers is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The subject is not valid.");
        }

        var existing = await SubjectLookup.FindConflictAsync(db, identifiers, cancellationToken);
        if (existing is not null)
        {
            return SubjectProblems.Conflict(existing.Value.Field, existing.Value.SubjectId);
        }

        var subject = SubjectLookup.NewSubject(identifiers, clock);
        db.Subjects.Add(subject);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another request created the same person a moment ago.
            var raced = await SubjectLookup.FindConflictAsync(db, identifiers, cancellationToken);
            return SubjectProblems.Conflict(raced?.Field ?? "subject", raced?.SubjectId);
        }

        return TypedResults.Created($"/api/subjects/{subject.Id}", SubjectDto.From(subject, []));
    }

    public static async Task<Results<Ok<List<SubjectDto>>, ValidationProblem>> FindSubjects(
        SubjectSearchBody body, ClaimsPrincipal user, RegistryContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var identifiers = ValidSubjectIdentifiers.Validate(
            new SubjectIdentifiersInput(null, body.Email, body.Phone, body.Hetu, body.BusinessId, body.CustomerNumber), "", errors);
        if (identifiers is null)
        {
            return TypedResults.ValidationProblem(errors, title: "Give a valid identifier to search by.");
        }

        var subjects = await SubjectLookup.Matching(db.Subjects, identifiers.ToKeys()).AsNoTracking().ToListAsync(cancellationToken);
        var search = new SubjectSearch
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            SearchedAt = clock.GetUtcNow(),
            SearchedBy = user.Actor(),
            IdentifierKinds = body.Kinds(),
            Found = subjects.Count,
        };
        var heldIn = await SubjectLookup.RecordSearchAsync(db, search, subjects.Select(s => s.Id), cancellationToken);
        return TypedResults.Ok(subjects.ConvertAll(s => SubjectDto.From(s, heldIn.GetValueOrDefault(s.Id, []))));
    }

    public static async Task<Results<Ok<List<SubjectSearchDto>>, ValidationProblem>> ListSubjectSearches(
        DateOnly? from, DateOnly? to, RegistryContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var helsinki = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), helsinki).DateTime);
        var (first, last) = (from ?? today.AddDays(-30), to ?? today);
        if (last < first || last.DayNumber - first.DayNumber > 366)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["to"] = ["Give a period of at most a year that ends on or after it starts (from, to: yyyy-MM-dd)."] },
                title: "The period is not valid.");
        }

        // Midnight in Helsinki, as UTC: PostgreSQL's timestamptz takes UTC offsets only.
        DateTimeOffset StartOf(DateOnly day) =>
            new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), helsinki.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        var (since, until) = (StartOf(first), StartOf(last.AddDays(1)));
        var searches = await db.SubjectSearches.AsNoTracking()
            .Where(s => s.SearchedAt >= since && s.SearchedAt < until)
            .OrderByDescending(s => s.SearchedAt)
            .Take(10_000)
            .Select(s => new SubjectSearchDto(s.Id, s.SearchedAt, s.SearchedBy, s.IdentifierKinds, s.Found))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(searches);
    }

    public static async Task<Results<Ok<SubjectDto>, SubjectMoved, ProblemHttpResult>> GetSubject(Guid id, RegistryContext db, CancellationToken cancellationToken)
    {
        var subject = await db.Subjects.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subject is null)
        {
            // A duplicate merged away answers where it went, not that it never was.
            return await SubjectMergeApi.WhereMergedAsync(db, id, cancellationToken) is { } merge
                ? new SubjectMoved(merge)
                : SubjectProblems.NotFound(id);
        }

        var heldIn = await SubjectLookup.RegistersHoldingAsync(db, [id], cancellationToken);
        return TypedResults.Ok(SubjectDto.From(subject, heldIn.GetValueOrDefault(id, [])));
    }

    public static async Task<Results<Ok<SubjectRecordsDto>, ProblemHttpResult>> GetSubjectRecords(
        Guid id, RegistryContext db, CancellationToken cancellationToken)
    {
        if (!await db.Subjects.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return SubjectProblems.NotFound(id);
        }

        var records = await db.Records.AsNoTracking().Where(r => r.SubjectId == id)
            .OrderBy(r => r.Register).ThenBy(r => r.RecordedOn).ToListAsync(cancellationToken);
        var registers = await RegisterNames.InNoticeOrderAsync(db, cancellationToken);
        var perRegister = registers
            .Select(register => new RegisterRecordsDto(
                register.Register,
                register.Name,
                [.. records.Where(r => r.Register == register.Register).Select(RecordDto.From)]))
            .Where(group => group.Records.Count > 0)
            .ToList();
        return TypedResults.Ok(new SubjectRecordsDto(id, perRegister));
    }
}

/// <summary>What to look subjects up by: any of the identifiers, each validated as when a subject is created.</summary>
public sealed record SubjectSearchBody(string? Email, string? Phone, string? Hetu, string? BusinessId, string? CustomerNumber)
{
    /// <summary>The kinds of identifier given, for the record of the search: never the values.</summary>
    public List<string> Kinds() =>
    [
        .. new (string Kind, string? Value)[]
        {
            ("email", Email), ("phone", Phone), ("hetu", Hetu), ("businessId", BusinessId), ("customerNumber", CustomerNumber),
        }.Where(k => !string.IsNullOrWhiteSpace(k.Value)).Select(k => k.Kind),
    ];
}

public sealed record SubjectSearchDto(Guid Id, DateTimeOffset SearchedAt, string SearchedBy, IReadOnlyList<string> IdentifierKinds, int Found);

/// <summary>A subject as staff see it: the identity code masked (it is sensitive and never proves identity anyway).</summary>
public sealed record SubjectDto(
    Guid Id,
    string? Name,
    string? Email,
    string? Phone,
    string? Hetu,
    string? BusinessId,
    string? CustomerNumber,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> HeldIn)
{
    public static SubjectDto From(Subject subject, IReadOnlyList<string> heldIn) => new(
        subject.Id,
        subject.Name,
        subject.Email,
        subject.Phone,
        subject.Hetu is null ? null : Procexon.Contracts.Identifiers.Hetu.Parse(subject.Hetu).ToString(),
        subject.BusinessId,
        subject.CustomerNumber,
        subject.CreatedAt,
        heldIn);
}

public sealed record SubjectRecordsDto(Guid SubjectId, IReadOnlyList<RegisterRecordsDto> Registers);

public sealed record RegisterRecordsDto(string Register, LocalizedText Name, IReadOnlyList<RecordDto> Records);

public sealed record RecordDto(
    Guid Id,
    Guid SubjectId,
    string Register,
    string Category,
    IReadOnlyDictionary<string, string> Fields,
    DateOnly RecordedOn,
    string State,
    string? RetentionRule,
    DateOnly? RetainUntil,
    Guid? LegalHoldId)
{
    public static RecordDto From(RegisterRecord record) => new(
        record.Id,
        record.SubjectId,
        record.Register,
        record.Category,
        record.Fields,
        record.RecordedOn,
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(record.State.ToString()),
        record.RetentionRule,
        record.RetainUntil,
        record.LegalHoldId);
}
