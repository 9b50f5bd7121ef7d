using Npgsql;
using Procexon.ServiceDefaults.Problems;

namespace Procexon.Registry.Apis;

/// <summary>Edits the record of processing: each edit replaces a register's whole description and adds a version.</summary>
public static class CatalogueEditingApi
{
    public static IEndpointRouteBuilder MapCatalogueEditingApi(this IEndpointRouteBuilder app)
    {
        var edits = app.MapGroup("/api/registers").WithTags("Registers").RequireAuthorization(Policies.EditCatalogue);
        var history = app.MapGroup("/api/registers").WithTags("Registers").RequireAuthorization(Policies.ReadCatalogue);

        // ProblemHttpResult carries no status of its own, so the 404 and 409 are declared for the OpenAPI document.
        edits.MapPost("/", AddRegister)
            .WithName("AddRegister")
            .WithSummary("Adds a register to the record of processing: its slug, a description in the shape GET answers with, and changeNote (expectedVersion is not needed); version 1, added by the caller. Erasures and rights reach it at once, without a restart.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        edits.MapPut("/{register}", EditRegister)
            .WithName("EditRegister")
            .WithSummary("Replaces a register's description (the shape GET answers with) with changeNote and the expectedVersion it was read at (slug is not needed); adds a version changed by the caller.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        history.MapGet("/{register}/versions", ListRegisterVersions)
            .WithName("ListRegisterVersions")
            .WithSummary("The register's history: each version, when it took effect, who changed it and why, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        history.MapGet("/{register}/versions/{version:int}", GetRegisterVersion)
            .WithName("GetRegisterVersion")
            .WithSummary("One version of the register as it read then, in the shape GET answers with (updatedAt is when it took effect).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Created<RegisterDto>, ValidationProblem, ProblemHttpResult>> AddRegister(
        EditRegisterBody body, ClaimsPrincipal user, RegistryContext db, RegisterQueues queues, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var slug = body.ValidSlug(errors);
        // A new register is its own first version, whatever expectedVersion says.
        var edit = (body with { ExpectedVersion = 1 }).Validate(user.Actor(), errors);
        if (slug is null || edit is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The register is not valid.");
        }

        if (await db.Registers.AnyAsync(r => r.Slug == slug, cancellationToken))
        {
            return Exists(slug);
        }

        // The queues first: once the register commits, a request may be sent to them at any moment.
        await queues.EnsureAsync(slug, cancellationToken);
        var register = new Register
        {
            Slug = slug,
            Position = (await db.Registers.MaxAsync(r => (int?)r.Position, cancellationToken) ?? 0) + 1,
            Description = edit.Description,
            UpdatedAt = clock.GetUtcNowToMicroseconds(),
        };
        db.Registers.Add(register);
        db.RegisterVersions.Add(RegisterVersion.Of(register, edit.ChangedBy, edit.ChangeNote));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Exists(slug);
        }

        return TypedResults.Created($"/api/registers/{slug}", RegisterDto.From(register));
    }

    private static ProblemHttpResult Exists(string register) => TypedResults.Problem(
        type: ProblemTypes.Uri("register-exists"),
        title: "The register exists",
        detail: $"There is already a register '{register}'; edit it with PUT /api/registers/{register}.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["register"] = register });

    public static async Task<Results<Ok<RegisterDto>, ValidationProblem, ProblemHttpResult>> EditRegister(
        string register, EditRegisterBody body, ClaimsPrincipal user, RegistryContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var found = await db.Registers.SingleOrDefaultAsync(r => r.Slug == register, cancellationToken);
        if (found is null)
        {
            return await RegisterProblems.UnknownAsync(db, register, cancellationToken);
        }

        var errors = new Dictionary<string, string[]>();
        var edit = body.Validate(user.Actor(), errors);
        if (edit is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The register description is not valid.");
        }

        if (edit.ExpectedVersion != found.Version)
        {
            return Stale(register, edit.ExpectedVersion, found.Version);
        }

        // The register's update and its version row commit together in SaveChanges' transaction.
        db.RegisterVersions.Add(found.Revise(edit.Description, clock.GetUtcNowToMicroseconds(), edit.ChangedBy, edit.ChangeNote));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException
            || ex is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } })
        {
            // Another edit of the same version committed first.
            var current = await db.Registers.AsNoTracking().Where(r => r.Slug == register).Select(r => r.Version).SingleAsync(cancellationToken);
            return Stale(register, edit.ExpectedVersion, current);
        }

        return TypedResults.Ok(RegisterDto.From(found));
    }

    public static async Task<Results<Ok<List<RegisterVersionDto>>, ProblemHttpResult>> ListRegisterVersions(
        string register, RegistryContext db, CancellationToken cancellationToken)
    {
        var versions = await db.RegisterVersions.AsNoTracking()
            .Where(v => v.Slug == register)
            .OrderByDescending(v => v.Version)
            .Select(v => new RegisterVersionDto(v.Version, v.ValidFrom, v.ChangedBy, v.ChangeNote))
            .ToListAsync(cancellationToken);
        return versions.Count == 0 && !await db.Registers.AnyAsync(r => r.Slug == register, cancellationToken)
            ? await RegisterProblems.UnknownAsync(db, register, cancellationToken)
            : TypedResults.Ok(versions);
    }

    public static async Task<Results<Ok<RegisterDto>, ProblemHttpResult>> GetRegisterVersion(
        string register, int version, RegistryContext db, CancellationToken cancellationToken)
    {
        var found = await db.RegisterVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Slug == register && v.Version == version, cancellationToken);
        if (found is not null)
        {
            return TypedResults.Ok(RegisterDto.From(found));
        }

        var current = await db.Registers.AsNoTracking().Where(r => r.Slug == register).Select(r => (int?)r.Version).SingleOrDefaultAsync(cancellationToken);
        return current is { } newest
            ? TypedResults.Problem(
                title: "Unknown version",
                detail: $"The register '{register}' has versions 1 to {newest}; GET /api/registers/{register}/versions lists them.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["register"] = register, ["version"] = version, ["currentVersion"] = newest })
            : await RegisterProblems.UnknownAsync(db, register, cancellationToken);
    }

    private static ProblemHttpResult Stale(string register, int expectedVersion, int currentVersion) => TypedResults.Problem(
        type: ProblemTypes.Uri("register-changed"),
        title: "The register has changed",
        detail: $"The edit was made on version {expectedVersion} of '{register}', but the register is at version {currentVersion}. "
            + $"Read it again (GET /api/registers/{register}), apply the change to it and send expectedVersion {currentVersion}.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?>
        {
            ["register"] = register,
            ["expectedVersion"] = expectedVersion,
            ["currentVersion"] = currentVersion,
        });
}

/// <summary>One entry of a register's history; <c>GET /api/registers/{register}/versions/{version}</c> shows its description.</summary>
public sealed record RegisterVersionDto(int Version, DateTimeOffset ValidFrom, string ChangedBy, string ChangeNote);
