using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Procexon.DisclosureLog.Apis;

/// <summary>
/// The one-time link in a mailed notice (anonymous: the token, <see cref="EmailLinkTokens"/>, is the credential). Its GET
/// only shows a page with a button, since mail scanners and link previews follow links; the button's POST confirms the
/// notice as staff would, by "email link", and announces it with the same event, so RightsRequests learns it as from any
/// recipient. An unknown notice or a wrong token is 404, a link past the give-up period or already used is 410; neither
/// changes anything.
/// </summary>
public static class EmailConfirmationApi
{
    /// <summary>Who confirmed, as the notice records it.</summary>
    public const string ConfirmedBy = "email link";

    public static IEndpointRouteBuilder MapEmailConfirmationApi(this IEndpointRouteBuilder app)
    {
        var link = app.MapGroup("/api/disclosures/notifications/{id:guid}/confirmation-link")
            .WithTags("E-mail confirmation links")
            .WithHtmlSecurityHeaders()
            .AllowAnonymous();

        link.MapGet("", ShowConfirmation)
            .WithName("ShowEmailConfirmation")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone)
            .WithSummary("The page an e-mail recipient's link opens: what it confirms, and a button that confirms it. Changes nothing.");

        // No antiforgery token: the one-time token in the form (application/x-www-form-urlencoded) is what a forged post cannot have.
        link.MapPost("", ConfirmByLink)
            .WithName("ConfirmByEmailLink")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone)
            .WithSummary("Confirms the mailed notice the one-time token belongs to; the token is then used.");

        return app;
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> ShowConfirmation(
        Guid id, [FromQuery] string? token, HttpContext http, DisclosureLogContext db, EmailLinkTokens tokens, IOptions<WebhookOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        KeepPrivate(http);
        var (notice, problem) = await FindAsync(id, token, db, tokens, options.Value, clock, cancellationToken);
        if (notice is null)
        {
            return problem!;
        }

        var kind = notice switch
        {
            ErasureNotification => ("poisto", "erasure"),
            RestrictionNotification { Kind: RecipientNoticeKinds.RestrictionLifted } => ("rajoituksen poistaminen", "release of the restriction"),
            RestrictionNotification => ("käsittelyn rajoittaminen", "restriction of processing"),
            _ => ("oikaisu", "correction"),
        };
        return Page("Vahvista / Confirm", $"""
            <p>Vahvistakaa, että {kind.Item1} on tehty (ilmoitus {notice.Id}).<br>Please confirm that the {kind.Item2} is done (notice {notice.Id}).</p>
            <form method="post" action="{EmailNoticeSender.LinkPath(notice.Id)}">
              <input type="hidden" name="token" value="{WebUtility.HtmlEncode(token)}">
              <button type="submit">Vahvista / Confirm</button>
            </form>
            """);
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> ConfirmByLink(
        Guid id, HttpContext http, DisclosureLogContext db, IEventOutbox outbox, EmailLinkTokens tokens, IOptions<WebhookOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        KeepPrivate(http);
        // Read by hand, not bound with [FromForm]: a form-only endpoint does not match any other body, and the unmatched
        // request would fall to the closed fallback policy as a 401 instead of a problem naming the token.
        var token = http.Request.HasFormContentType ? (string?)(await http.Request.ReadFormAsync(cancellationToken))["token"] : null;
        var (notice, problem) = await FindAsync(id, token, db, tokens, options.Value, clock, cancellationToken);
        if (notice is null)
        {
            return problem!;
        }

        var now = clock.GetUtcNowToMicroseconds();
        notice.Confirm(now, ConfirmedBy, null);
        outbox.Add(RecipientNoticeAnnouncements.ConfirmationOf(notice));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A second click, or staff, got there first: confirmed once, announced once.
            return Used(id);
        }

        return Page("Vahvistettu / Confirmed", "<p>Kiitos, vahvistus on kirjattu.<br>Thank you, the confirmation is recorded.</p>");
    }

    /// <summary>The notice the token opens, or the problem that answers instead.</summary>
    private static async Task<(RecipientNotice? Notice, Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>? Problem)> FindAsync(
        Guid id, string? token, DisclosureLogContext db, EmailLinkTokens tokens, WebhookOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return (null, TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["token"] = ["The link's token is missing or malformed; open the link from the mail as it is."] },
                title: "The confirmation link is not valid."));
        }

        var delivery = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Id == id && d.Channel == RecipientChannels.Email)
            .Select(d => new { d.CreatedAt, d.ConfirmationTokenHash })
            .SingleOrDefaultAsync(cancellationToken);
        // An unknown notice and a wrong token answer alike, so a guess learns nothing of which notices exist. The token is
        // derived from the notice's id, so it verifies from the moment the mail leaves; a link mailed by an earlier version
        // verifies against the hash it kept.
        if (delivery is null
            || !(tokens.Verifies(id, token)
                || (delivery.ConfirmationTokenHash is { } hash && CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(Encoding.UTF8.GetBytes(token))))))
        {
            return (null, TypedResults.Problem(
                title: "Unknown confirmation link",
                detail: "This link does not confirm any notice; open the link from the mail as it is.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["id"] = id, ["field"] = "token" }));
        }

        if (clock.GetUtcNow() > delivery.CreatedAt + options.GiveUpAfter)
        {
            return (null, TypedResults.Problem(
                title: "Confirmation link expired",
                detail: "The link is past its validity; the notice is overdue and the privacy officer will contact you.",
                statusCode: StatusCodes.Status410Gone,
                extensions: new Dictionary<string, object?> { ["id"] = id, ["field"] = "token" }));
        }

        RecipientNotice? notice = await db.ErasureNotifications.SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        notice ??= await db.RectificationNotifications.SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        notice ??= await db.RestrictionNotifications.SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (notice is null)
        {
            return (null, TypedResults.Problem(title: "Unknown confirmation link", statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["id"] = id, ["field"] = "token" }));
        }

        return notice.ConfirmedAt is null ? (notice, null) : (null, Used(id));
    }

    private static ProblemHttpResult Used(Guid id) => TypedResults.Problem(
        title: "Confirmation link used",
        detail: "The notice is already confirmed; the link works once.",
        statusCode: StatusCodes.Status410Gone,
        extensions: new Dictionary<string, object?> { ["id"] = id, ["field"] = "token" });

    // The token is in the address: no cache keeps the page (the platform's HTML headers add no-referrer and the rest).
    private static void KeepPrivate(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    private static ContentHttpResult Page(string title, string body) => TypedResults.Content($"""
        <!DOCTYPE html>
        <html lang="fi"><head><meta charset="utf-8"><title>{title}</title></head>
        <body><h1>{title}</h1>
        {body}
        </body></html>
        """, "text/html; charset=utf-8");
}
