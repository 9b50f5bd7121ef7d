using System.Security.Claims;
using Procexon.Contracts.Identifiers;

namespace Procexon.Processors.AccountingFirm.Apis;

/// <summary>The firm's own small API (not behind Procexon's gateway): what it holds on a subject.</summary>
public static class ClientRecordsApi
{
    public static IEndpointRouteBuilder MapClientRecordsApi(this IEndpointRouteBuilder app)
    {
        // The firm's own rule, so not one of the platform's policies: Procexon's staff who may read subjects' records,
        // and Procexon's processor client for this firm (a processor token for another recipient is refused).
        var records = app.MapGroup("/api/client-records").WithTags("Client records")
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireAssertion(context => MayRead(context.User)));

        records.MapGet("/", ListClientRecords)
            .WithName("ListClientRecords")
            .WithSummary("The firm's copies of one subject's data, as Procexon disclosed them.");

        return app;
    }

    /// <summary>Whoever <see cref="Policies.ReadSubjects"/> grants (its roles read from the one mapping), or this firm's processor.</summary>
    public static bool MayRead(ClaimsPrincipal user) =>
        user.Recipient() == AccountingFirmIdentity.RecipientSlug || Policies.Roles[Policies.ReadSubjects].Any(user.IsInRole);

    public static async Task<Results<Ok<List<ClientRecordDto>>, ValidationProblem>> ListClientRecords(
        string? subject, AccountingFirmContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(subject, out var subjectId) || subjectId == Guid.Empty)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["subject"] = [subject is null
                    ? "Give the subject: ?subject={id}, the subject's id in Procexon's registry."
                    : "The subject is not a subject id (a non-empty GUID)."],
            });
        }

        var found = await db.ClientRecords.AsNoTracking()
            .Where(r => r.SubjectId == subjectId)
            .OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(found.ConvertAll(ClientRecordDto.From));
    }
}

/// <summary>One copy, with e-mail and phone masked.</summary>
public sealed record ClientRecordDto(
    Guid Id,
    Guid DisclosureId,
    Guid SubjectId,
    string? Email,
    string? Phone,
    string? CustomerNumber,
    string? BusinessId,
    IReadOnlyList<string> Categories,
    string LegalBasis,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? RestrictedAt)
{
    public static ClientRecordDto From(ClientRecord record) => new(
        record.Id,
        record.DisclosureId,
        record.SubjectId,
        Masked<EmailAddress>(record.Email, EmailAddress.TryParse),
        Masked<PhoneNumber>(record.Phone, PhoneNumber.TryParse),
        record.CustomerNumber,
        record.BusinessId,
        record.Categories,
        record.LegalBasis,
        record.ReceivedAt,
        record.RestrictedAt);

    private delegate bool TryParser<T>(string? input, out T? value, out string? error) where T : class;

    // The value types print themselves masked; a value they cannot read is not shown at all.
    private static string? Masked<T>(string? value, TryParser<T> parse) where T : class =>
        value is null ? null : parse(value, out var parsed, out _) ? parsed!.ToString() : "***";
}
