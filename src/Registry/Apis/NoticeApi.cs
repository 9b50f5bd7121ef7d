namespace Procexon.Registry.Apis;

/// <summary>
/// The catalogue's exports: the privacy notice (Art 13/14) and the record of processing (Art 30). The literal segments
/// <c>notice</c> and <c>record-of-processing</c> take precedence over <c>/api/registers/{register}</c> in routing.
/// </summary>
public static class NoticeApi
{
    public static IEndpointRouteBuilder MapNoticeApi(this IEndpointRouteBuilder app)
    {
        // Public (DESIGN §10): the notice is what Art 13/14 tell everyone, so it is read without a token.
        var notice = app.MapGroup("/api/registers").WithTags("Registers").AllowAnonymous();
        var exports = app.MapGroup("/api/registers").WithTags("Registers").RequireAuthorization(Policies.ReadCatalogue);

        notice.MapGet("/notice", GetPrivacyNotice)
            .WithName("GetPrivacyNotice")
            .WithSummary("The privacy notice (GDPR Art 13/14) from the live catalogue: lang=fi|en, format=md|html.")
            .Produces<string>(StatusCodes.Status200OK, "text/markdown", "text/html")
            .WithHtmlSecurityHeaders();

        exports.MapGet("/record-of-processing", GetRecordOfProcessing)
            .WithName("GetRecordOfProcessing")
            .WithSummary("The record of processing (GDPR Art 30): one row per register and purpose; format=json|csv, lang=fi|en.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");

        return app;
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem>> GetPrivacyNotice(
        [AsParameters] NoticeQuery query, RegistryContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var language = Choose("lang", query.Lang, PrivacyNoticeComposer.Languages, errors);
        var format = Choose("format", query.Format, ["md", "html"], errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The notice cannot be given in that form.");
        }

        var catalogue = await ReadCatalogueAsync(db, cancellationToken);
        var notice = PrivacyNoticeComposer.Compose(catalogue, NoticeContent.Embedded, language);
        response.Headers.ContentLanguage = language;
        return format == "html"
            ? TypedResults.Text(HtmlNoticeRenderer.Render(notice), "text/html; charset=utf-8")
            : TypedResults.Text(MarkdownNoticeRenderer.Render(notice), "text/markdown; charset=utf-8");
    }

    public static async Task<Results<Ok<IReadOnlyList<ProcessingActivity>>, ContentHttpResult, ValidationProblem>> GetRecordOfProcessing(
        [AsParameters] RecordOfProcessingQuery query, RegistryContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var format = Choose("format", query.Format, ["json", "csv"], errors);
        var language = Choose("lang", query.Lang, PrivacyNoticeComposer.Languages, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The record of processing cannot be given in that form.");
        }

        var catalogue = await ReadCatalogueAsync(db, cancellationToken);
        var rows = RecordOfProcessing.Compose(catalogue, NoticeContent.Embedded, language);
        response.Headers.ContentLanguage = language;
        return format == "csv"
            ? TypedResults.Text(RecordOfProcessing.ToCsv(rows), "text/csv; charset=utf-8")
            : TypedResults.Ok(rows);
    }

    private static Task<List<Register>> ReadCatalogueAsync(RegistryContext db, CancellationToken cancellationToken) =>
        db.Registers.AsNoTracking().OrderBy(r => r.Position).ToListAsync(cancellationToken);

    /// <summary>The value asked for, or the first allowed one when none was; anything else is an error on the field.</summary>
    private static string Choose(string field, string? value, IReadOnlyList<string> allowed, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return allowed[0];
        }

        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        errors[field] = [$"'{value}' is not one of: {string.Join(", ", allowed)}."];
        return allowed[0];
    }
}

/// <param name="Lang"><c>fi</c> (default) or <c>en</c>.</param>
/// <param name="Format"><c>md</c> (default) or <c>html</c>.</param>
public sealed record NoticeQuery(string? Lang, string? Format);

/// <param name="Format"><c>json</c> (default) or <c>csv</c>.</param>
/// <param name="Lang"><c>fi</c> (default) or <c>en</c>: the language of the texts in the rows.</param>
public sealed record RecordOfProcessingQuery(string? Format, string? Lang);
