using Npgsql;

namespace Procexon.Registry.Apis;

/// <summary>
/// A register admin corrects a subject's identifiers, with a reason, and the corrections are listed; the way to part
/// two subjects' identifiers that block their merge, or to mend a mistyped one. An identifier another subject holds is
/// refused, as at creation: one identity code, one person.
/// </summary>
public static class SubjectIdentifiersApi
{
    public static IEndpointRouteBuilder MapSubjectIdentifiersApi(this IEndpointRouteBuilder app)
    {
        var manage = app.MapGroup("/api/subjects").WithTags("Subjects").RequireAuthorization(Policies.ManageSubjects);
        var read = app.MapGroup("/api/subjects").WithTags("Subjects").RequireAuthorization(Policies.ReadSubjects);

        // ProblemHttpResult carries no status of its own, so the 404 and 409 are declared for the OpenAPI document.
        manage.MapPost("/{id:guid}/identifier-corrections", CorrectIdentifiers)
            .WithName("CorrectSubjectIdentifiers")
            .WithSummary("Register admins: identifiers to set (set: name, email, phone, hetu, businessId, customerNumber), to remove (remove: field names) and why; the rest stay, at least one identifier stays. Recorded by field name, the caller as who made it; nothing recorded when nothing changes.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        read.MapGet("/{id:guid}/identifier-corrections", ListCorrections)
            .WithName("ListSubjectIdentifierCorrections")
            .WithSummary("The corrections of the subject's identifiers, oldest first: who, when, why, which fields (never the values).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Created<SubjectIdentifierCorrectedDto>, Ok<SubjectIdentifierCorrectedDto>, ValidationProblem, ProblemHttpResult>> CorrectIdentifiers(
        Guid id, CorrectIdentifiersBody body, ClaimsPrincipal user, RegistryContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var correction = body.Validate(errors);
        if (correction is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The correction is not valid.");
        }

        var correctedBy = user.Actor();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async Task<Results<Created<SubjectIdentifierCorrectedDto>, Ok<SubjectIdentifierCorrectedDto>, ValidationProblem, ProblemHttpResult>> (ct) =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Locked as a merge or an erasure locks it: neither runs on identifiers half corrected.
            if ((await SubjectErasure.LockSubjectsAsync(db, [id], ct)).SingleOrDefault() is not { } subject)
            {
                return await SubjectMergeApi.WhereMergedAsync(db, id, ct) is { } merge
                    ? SubjectProblems.AlreadyMerged("id", id, merge.IntoSubjectId)
                    : SubjectProblems.NotFound(id);
            }

            if (await SubjectLookup.FindConflictAsync(db, correction.Set, ct, except: id) is { } conflict)
            {
                return SubjectProblems.IdentifierTaken(conflict.Field, conflict.SubjectId);
            }

            var changed = Apply(subject, correction);
            if (subject.Email is null && subject.Phone is null && subject.Hetu is null && subject.BusinessId is null && subject.CustomerNumber is null)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["remove"] = ["A subject keeps at least one identifier: email, phone, hetu, businessId or customerNumber."] },
                    title: "The correction is not valid.");
            }

            SubjectIdentifierCorrection? recorded = null;
            if (changed.Count > 0)
            {
                recorded = new SubjectIdentifierCorrection
                {
                    Id = Guid.CreateVersion7(),
                    SubjectId = id,
                    CorrectedBy = correctedBy,
                    Reason = correction.Reason,
                    CorrectedAt = clock.GetUtcNowToMicroseconds(),
                    Fields = changed,
                };
                db.SubjectIdentifierCorrections.Add(recorded);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
                {
                    // Another subject took one of the identifiers a moment ago: nothing of the correction stays.
                    var raced = await SubjectLookup.FindConflictAsync(db, correction.Set, ct, except: id);
                    return SubjectProblems.IdentifierTaken(raced?.Field ?? "subject", raced?.SubjectId);
                }
            }

            await transaction.CommitAsync(ct);
            var heldIn = await SubjectLookup.RegistersHoldingAsync(db, [id], ct);
            var now = new SubjectIdentifierCorrectedDto(
                SubjectDto.From(subject, heldIn.GetValueOrDefault(id, [])),
                recorded is null ? null : SubjectIdentifierCorrectionDto.From(recorded));
            return recorded is null
                ? TypedResults.Ok(now)
                : TypedResults.Created($"/api/subjects/{id}/identifier-corrections", now);
        }, cancellationToken);
    }

    public static async Task<Results<Ok<List<SubjectIdentifierCorrectionDto>>, ProblemHttpResult>> ListCorrections(
        Guid id, RegistryContext db, CancellationToken cancellationToken)
    {
        if (!await db.Subjects.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return SubjectProblems.NotFound(id);
        }

        var corrections = await db.SubjectIdentifierCorrections.AsNoTracking()
            .Where(c => c.SubjectId == id).OrderBy(c => c.CorrectedAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(corrections.ConvertAll(SubjectIdentifierCorrectionDto.From));
    }

    /// <summary>Sets the identifiers given, removes those named, leaves the rest, and names those that changed.</summary>
    private static List<string> Apply(Subject subject, IdentifierCorrection correction)
    {
        var changed = new List<string>();
        void Set(string field, string? now, string? given, Action<string?> assign)
        {
            var wanted = correction.Remove.Contains(field) ? null : given ?? now;
            if (!string.Equals(now, wanted, StringComparison.Ordinal))
            {
                assign(wanted);
                changed.Add(field);
            }
        }

        var set = correction.Set;
        Set("name", subject.Name, set.Name, v => subject.Name = v);
        Set("email", subject.Email, set.Email?.Value, v => subject.Email = v);
        Set("phone", subject.Phone, set.Phone?.Value, v => subject.Phone = v);
        Set("hetu", subject.Hetu, set.Hetu?.Value, v => subject.Hetu = v);
        Set("businessId", subject.BusinessId, set.BusinessId?.Value, v => subject.BusinessId = v);
        Set("customerNumber", subject.CustomerNumber, set.CustomerNumber?.Value, v => subject.CustomerNumber = v);
        return changed;
    }
}

/// <summary>
/// The identifiers to set (each checked as at creation), those to remove by field name, and why; the rest stay as they
/// are, so a client never sends back what it was shown masked (the identity code). Who corrects comes from the
/// caller's token, never from the body.
/// </summary>
public sealed record CorrectIdentifiersBody(SubjectIdentifiersInput? Set, IReadOnlyList<string?>? Remove, string? Reason)
{
    public static readonly IReadOnlyList<string> Fields = ["name", "email", "phone", "hetu", "businessId", "customerNumber"];

    public IdentifierCorrection? Validate(IDictionary<string, string[]> errors)
    {
        var before = errors.Count;
        var set = Set ?? new SubjectIdentifiersInput();
        var given = new[] { set.Name, set.Email, set.Phone, set.Hetu, set.BusinessId, set.CustomerNumber }.Any(v => !string.IsNullOrWhiteSpace(v));
        ValidSubjectIdentifiers? valid = null;
        if (given)
        {
            var problems = new Dictionary<string, string[]>();
            valid = ValidSubjectIdentifiers.Validate(set, "set", problems);
            // Only the identifiers given are checked: this is not a new subject, so none is required and a name alone
            // may be corrected.
            problems.Remove("set");
            foreach (var (field, messages) in problems)
            {
                errors[field] = messages;
            }

            valid ??= problems.Count == 0 ? new ValidSubjectIdentifiers(set.Name?.Trim(), null, null, null, null, null) : null;
        }

        var remove = (Remove ?? []).Select(f => f?.Trim() ?? "").ToList();
        if (remove.Any(f => !Fields.Contains(f, StringComparer.Ordinal)))
        {
            errors["remove"] = [$"Name the identifiers to remove by field: {string.Join(", ", Fields)}."];
        }
        else if (valid is not null && remove.Any(f => IsGiven(set, f)))
        {
            errors["remove"] = ["An identifier is either set or removed, not both."];
        }

        if (!given && remove.Count == 0)
        {
            errors["set"] = ["Give an identifier to set (set.email, set.hetu…) or one to remove."];
        }

        if (string.IsNullOrWhiteSpace(Reason) || Reason.Trim().Length > SubjectIdentifierCorrection.MaxReasonLength)
        {
            errors["reason"] = [$"Say why the identifiers change (1–{SubjectIdentifierCorrection.MaxReasonLength} characters)."];
        }

        return errors.Count > before
            ? null
            : new IdentifierCorrection(valid ?? new ValidSubjectIdentifiers(null, null, null, null, null, null), [.. remove.Distinct(StringComparer.Ordinal)], Reason!.Trim());
    }

    private static bool IsGiven(SubjectIdentifiersInput set, string field) => !string.IsNullOrWhiteSpace(field switch
    {
        "name" => set.Name,
        "email" => set.Email,
        "phone" => set.Phone,
        "hetu" => set.Hetu,
        "businessId" => set.BusinessId,
        _ => set.CustomerNumber,
    });
}

/// <summary>A checked correction: what to set, what to remove (field names), why.</summary>
public sealed record IdentifierCorrection(ValidSubjectIdentifiers Set, IReadOnlyList<string> Remove, string Reason);

/// <summary>One correction as staff see it: which fields, never their values.</summary>
public sealed record SubjectIdentifierCorrectionDto(Guid Id, Guid SubjectId, string CorrectedBy, string Reason, DateTimeOffset CorrectedAt, IReadOnlyList<string> Fields)
{
    public static SubjectIdentifierCorrectionDto From(SubjectIdentifierCorrection c) => new(c.Id, c.SubjectId, c.CorrectedBy, c.Reason, c.CorrectedAt, c.Fields);
}

/// <summary>The subject as it now is, and the correction recorded (none when nothing changed).</summary>
public sealed record SubjectIdentifierCorrectedDto(SubjectDto Subject, SubjectIdentifierCorrectionDto? Correction);
