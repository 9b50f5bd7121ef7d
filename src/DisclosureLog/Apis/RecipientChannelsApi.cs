using System.Security.Claims;
using Microsoft.Extensions.Options;
using Procexon.Messaging.Mail;
using Procexon.ServiceDefaults.Problems;

namespace Procexon.DisclosureLog.Apis;

/// <summary>
/// How a recipient is reached (DESIGN §12), set by a privacy officer: its channel with the webhook URL or the e-mail
/// address, and its webhook signing secret, generated here and shown in the answer that generated it only. Each change is
/// a <see cref="RecipientChannelChange"/> written with it, and wins over the deployment's configuration from then on.
/// </summary>
public static partial class RecipientChannelsApi
{
    public static IEndpointRouteBuilder MapRecipientChannelsApi(this IEndpointRouteBuilder app)
    {
        var manage = app.MapGroup("/api/recipients").WithTags("Recipients")
            .RequireAuthorization(Policies.ManageRecipients);

        manage.MapPut("/{recipient}/channel", SetChannel)
            .WithName("SetRecipientChannel")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Sets how the recipient is reached: webhook (with its URL; a signing secret is generated and shown once), email (with the address) or staff.");

        manage.MapPost("/{recipient}/webhook-secret", RotateWebhookSecret)
            .WithName("RotateRecipientWebhookSecret")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Generates a new signing secret for a webhook recipient, shown in this answer only; the old one keeps signing beside it for the overlap.");

        var read = app.MapGroup("/api/recipients").WithTags("Recipients")
            .RequireAuthorization(Policies.ReadDisclosures);

        read.MapGet("/{recipient}/channel-changes", ListChannelChanges)
            .WithName("ListRecipientChannelChanges")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Every change of how the recipient is reached, newest first: channel, URL, whether a secret was generated, when and by whom.");

        return app;
    }

    public static async Task<Results<Ok<RecipientChannelDto>, ValidationProblem, ProblemHttpResult>> SetChannel(
        string recipient,
        SetChannelBody body,
        ClaimsPrincipal user,
        HttpContext http,
        DisclosureLogContext db,
        IServiceProvider services,
        TimeProvider clock,
        ILogger<RecipientChannelChange> logger,
        CancellationToken cancellationToken)
    {
        var found = await db.Recipients.SingleOrDefaultAsync(r => r.Slug == recipient, cancellationToken);
        if (found is null)
        {
            return await UnknownAsync(recipient, db, cancellationToken);
        }

        var errors = new Dictionary<string, string[]>();
        var emailAddress = Validate(body, found, services, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The channel is not valid.");
        }

        var now = clock.GetUtcNowToMicroseconds();
        var secret = found.SetChannel(body.Channel!, body.WebhookUrl, emailAddress);
        found.ChannelSetAt = now;
        found.ChannelSetBy = user.Actor();
        // The recipient and the record of who changed it are one write: nothing half-written.
        db.RecipientChannelChanges.Add(RecipientChannelChange.Of(found, RecipientChannelChangeKinds.ChannelSet, secret is not null, now, found.ChannelSetBy));
        // What still waits goes by the new channel, or ends if that channel does not carry it, in the same write: a
        // recipient moved off a dead webhook to e-mail is mailed the notices it had not yet received (at least once: the
        // event id is unchanged), and a disclosure the mail will never carry does not hold them back.
        var waiting = await db.WebhookDeliveries.Where(d => d.Recipient == found.Slug && d.DeliveredAt == null && d.GaveUpAt == null)
            .ToListAsync(cancellationToken);
        var moved = waiting.Count(delivery => delivery.FollowChannel(found.Channel, now));
        await db.SaveChangesAsync(cancellationToken);
        if (moved > 0)
        {
            LogMoved(logger, moved, found.Slug, found.Channel);
        }

        if (secret is not null)
        {
            KeepPrivate(http);
        }

        return TypedResults.Ok(RecipientChannelDto.From(found, secret));
    }

    public static async Task<Results<Ok<WebhookSecretDto>, ProblemHttpResult>> RotateWebhookSecret(
        string recipient,
        ClaimsPrincipal user,
        HttpContext http,
        DisclosureLogContext db,
        IOptions<WebhookOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var found = await db.Recipients.SingleOrDefaultAsync(r => r.Slug == recipient, cancellationToken);
        if (found is null)
        {
            return await UnknownAsync(recipient, db, cancellationToken);
        }

        if (found.Channel != RecipientChannels.Webhook)
        {
            return TypedResults.Problem(
                type: ProblemTypes.Uri("not-a-webhook-recipient"),
                title: "Not a webhook recipient",
                detail: $"Recipient '{recipient}' is reached by {found.Channel}, which has no signing secret. Set the webhook channel first (PUT /api/recipients/{recipient}/channel).",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["recipient"] = recipient, ["channel"] = found.Channel });
        }

        var now = clock.GetUtcNowToMicroseconds();
        var secret = WebhookSecrets.Generate();
        found.RotateWebhookSecret(secret, now, options.Value.SecretRotationOverlap);
        found.ChannelSetAt = now;
        found.ChannelSetBy = user.Actor();
        db.RecipientChannelChanges.Add(RecipientChannelChange.Of(found, RecipientChannelChangeKinds.SecretRotated, newSecret: true, now, found.ChannelSetBy));
        await db.SaveChangesAsync(cancellationToken);

        KeepPrivate(http);
        return TypedResults.Ok(new WebhookSecretDto(found.Slug, secret, found.PreviousWebhookSecretSignsUntil));
    }

    public static async Task<Results<Ok<List<RecipientChannelChangeDto>>, ProblemHttpResult>> ListChannelChanges(
        string recipient, DisclosureLogContext db, CancellationToken cancellationToken)
    {
        if (!await db.Recipients.AnyAsync(r => r.Slug == recipient, cancellationToken))
        {
            return await UnknownAsync(recipient, db, cancellationToken);
        }

        var changes = await db.RecipientChannelChanges.AsNoTracking()
            .Where(c => c.Recipient == recipient)
            .OrderByDescending(c => c.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(changes.ConvertAll(RecipientChannelChangeDto.From));
    }

    /// <summary>The checked e-mail address for the email channel; every problem goes into <paramref name="errors"/> under its field.</summary>
    private static string? Validate(SetChannelBody body, Recipient recipient, IServiceProvider services, Dictionary<string, string[]> errors)
    {
        string[] settable = [RecipientChannels.Webhook, RecipientChannels.Email, RecipientChannels.Staff];
        if (body.Channel is not { } channel || !RecipientChannels.IsKnown(channel))
        {
            errors["channel"] = [$"The channel is one of: {string.Join(", ", settable)}."];
            return null;
        }

        // An amqp recipient needs a broker user and a queue that only the deployment can give; one that has them may keep them.
        if (channel == RecipientChannels.Amqp && recipient.Channel != RecipientChannels.Amqp)
        {
            errors["channel"] = [$"The amqp channel needs a broker user and queue the deployment provisions; choose one of: {string.Join(", ", settable)}."];
            return null;
        }

        if (channel == RecipientChannels.Webhook)
        {
            if (RecipientChannelRules.WebhookUrlProblem(body.WebhookUrl) is { } problem)
            {
                errors["webhookUrl"] = [problem];
            }
        }
        else if (body.WebhookUrl is not null)
        {
            errors["webhookUrl"] = [$"Only the webhook channel has a URL; leave it out for {channel}."];
        }

        string? address = null;
        if (channel == RecipientChannels.Email)
        {
            address = RecipientChannelRules.EmailAddressOf(body.EmailAddress, out var problem);
            if (problem is not null)
            {
                errors["emailAddress"] = [problem];
            }
            else if (services.GetService<SmtpMailer>() is null)
            {
                errors["channel"] = ["No mail server is configured (ConnectionStrings:mail), so the email channel would send nothing."];
            }
        }
        else if (body.EmailAddress is not null)
        {
            errors["emailAddress"] = [$"Only the email channel has an address; leave it out for {channel}."];
        }

        return address;
    }

    private static async Task<ProblemHttpResult> UnknownAsync(string recipient, DisclosureLogContext db, CancellationToken cancellationToken)
    {
        var known = await db.Recipients.OrderBy(r => r.Position).Select(r => r.Slug).ToListAsync(cancellationToken);
        return TypedResults.Problem(
            title: "Unknown recipient",
            detail: $"There is no recipient '{recipient}'. Recipients: {string.Join(", ", known)}.",
            statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["recipient"] = recipient });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Deliveries} waiting deliveries to {Recipient} moved to its new channel, {Channel}, or ended where it does not carry them")]
    private static partial void LogMoved(ILogger logger, int deliveries, string recipient, string channel);

    // An answer carrying a secret is not kept by a browser or a proxy.
    private static void KeepPrivate(HttpContext http) => http.Response.Headers.CacheControl = "no-store";
}

/// <summary>How the recipient is to be reached: <c>channel</c>, with <c>webhookUrl</c> for webhook or <c>emailAddress</c> for email.</summary>
public sealed record SetChannelBody(string? Channel, string? WebhookUrl, string? EmailAddress);

/// <summary>
/// A recipient's channel after a change. <see cref="WebhookSecret"/> is there only in the answer that generated it: no
/// read returns it again.
/// </summary>
public sealed record RecipientChannelDto(
    string Recipient,
    string Channel,
    string? WebhookUrl,
    string? EmailAddress,
    string? WebhookSecret,
    DateTimeOffset? PreviousWebhookSecretSignsUntil,
    DateTimeOffset? ChannelSetAt,
    string? ChannelSetBy)
{
    public static RecipientChannelDto From(Recipient recipient, string? generatedSecret) => new(
        recipient.Slug, recipient.Channel, recipient.WebhookUrl, recipient.EmailAddress, generatedSecret,
        recipient.PreviousWebhookSecretSignsUntil, recipient.ChannelSetAt, recipient.ChannelSetBy);
}

/// <summary>A newly generated signing secret, shown once; the previous one signs beside it until <see cref="PreviousWebhookSecretSignsUntil"/>.</summary>
public sealed record WebhookSecretDto(string Recipient, string WebhookSecret, DateTimeOffset? PreviousWebhookSecretSignsUntil);

public sealed record RecipientChannelChangeDto(
    string Recipient,
    string Kind,
    string Channel,
    string? WebhookUrl,
    bool EmailAddressSet,
    bool NewWebhookSecret,
    DateTimeOffset? PreviousSecretSignsUntil,
    DateTimeOffset ChangedAt,
    string ChangedBy)
{
    public static RecipientChannelChangeDto From(RecipientChannelChange change) => new(
        change.Recipient, change.Kind, change.Channel, change.WebhookUrl, change.EmailAddressSet, change.NewWebhookSecret,
        change.PreviousSecretSignsUntil, change.ChangedAt, change.ChangedBy);
}
