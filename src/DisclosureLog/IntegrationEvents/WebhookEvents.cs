using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// A recipient's event as a webhook recipient receives it: a CloudEvents 1.0 structured JSON event whose <c>id</c> is the
/// notice's (or disclosure's) id, so redeliveries carry the same id, whose <c>type</c> names the kind and version
/// (<see cref="WebhookEventTypes"/>), and whose <c>data</c> follows that type's JSON Schema, published through the gateway
/// at the event's <c>dataschema</c>.
/// </summary>
public static class WebhookEvents
{
    /// <summary>Where the events come from (CloudEvents <c>source</c>).</summary>
    public static readonly Uri Source = new("urn:fi.procexon:disclosurelog");

    public const string ContentType = "application/cloudevents+json; charset=utf-8";

    private static readonly JsonEventFormatter s_formatter = new(new JsonSerializerOptions(JsonSerializerDefaults.Web), default);

    /// <summary>The event for a message the platform sends <paramref name="recipient"/>; throws for one that has no webhook form.</summary>
    public static CloudEvent For(object message, string recipient, DateTimeOffset time, PublicAddress schemas)
    {
        var cloudEvent = Of(message, recipient, time);
        cloudEvent.DataSchema = schemas.SchemaOf(cloudEvent.Type!);
        return cloudEvent;
    }

    private static CloudEvent Of(object message, string recipient, DateTimeOffset time) => message switch
    {
        DataDisclosed d => Create(d.DisclosureId, WebhookEventTypes.Disclosure, time, d.SubjectId.ToString(), new
        {
            disclosureId = d.DisclosureId,
            subjectId = d.SubjectId,
            subject = new { email = d.Subject.Email, phone = d.Subject.Phone, businessId = d.Subject.BusinessId, customerNumber = d.Subject.CustomerNumber },
            categories = d.Categories,
            legalBasis = d.LegalBasis,
        }),
        ErasureNoticeSent n => Create(n.NotificationId, WebhookEventTypes.ErasureNotice, time, n.RequestId.ToString(), new
        {
            noticeId = n.NotificationId,
            requestId = n.RequestId,
            subjectIds = n.SubjectIds,
            categories = n.Categories,
            confirmation = $"/api/disclosures/notifications/{n.NotificationId}/confirmation",
        }),
        RectificationNoticeSent n => Create(n.NotificationId, WebhookEventTypes.RectificationNotice, time, n.RequestId.ToString(), new
        {
            noticeId = n.NotificationId,
            requestId = n.RequestId,
            subjectIds = n.SubjectIds,
            corrections = n.Corrections.Select(c => new { field = c.Field, value = c.Value }),
            confirmation = $"/api/rectification-notifications/{n.NotificationId}/confirmation",
        }),
        RestrictionNoticeSent n => Create(n.NotificationId, WebhookEventTypes.RestrictionNotice, time, n.RequestId.ToString(), new
        {
            noticeId = n.NotificationId,
            requestId = n.RequestId,
            subjectIds = n.SubjectIds,
            categories = n.Categories,
            confirmation = RestrictionNotificationsApi.ConfirmationPath(n.NotificationId),
        }),
        RestrictionLiftedNoticeSent n => Create(n.NotificationId, WebhookEventTypes.RestrictionLiftedNotice, time, n.RequestId.ToString(), new
        {
            noticeId = n.NotificationId,
            requestId = n.RequestId,
            subjectIds = n.SubjectIds,
            categories = n.Categories,
            confirmation = RestrictionNotificationsApi.ConfirmationPath(n.NotificationId),
        }),
        // One merge reaches several recipients: each gets an id of its own (the delivery's key), the same on a redelivery.
        SubjectsMerged m => Create(IdFor(m.MergeId, recipient), WebhookEventTypes.SubjectsMerged, time, m.MergedInto.ToString(), new
        {
            mergeId = m.MergeId,
            duplicateId = m.DuplicateId,
            mergedInto = m.MergedInto,
            mergedAt = m.MergedAt,
        }),
        _ => throw new InvalidOperationException($"{message.GetType().Name} has no webhook event type."),
    };

    /// <summary>The structured-mode JSON, exactly the bytes that are signed and sent.</summary>
    public static string Encode(CloudEvent cloudEvent) =>
        Encoding.UTF8.GetString(s_formatter.EncodeStructuredModeMessage(cloudEvent, out _).Span);

    public static CloudEvent Decode(string json) =>
        s_formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(json), new System.Net.Mime.ContentType("application/cloudevents+json"), null);

    private static Guid IdFor(Guid eventId, string recipient) =>
        new(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{eventId}/{recipient}")).AsSpan(0, 16));

    private static CloudEvent Create(Guid id, string type, DateTimeOffset time, string subject, object data) => new(CloudEventsSpecVersion.V1_0)
    {
        Id = id.ToString(),
        Type = type,
        Source = Source,
        Subject = subject,
        Time = time,
        DataContentType = "application/json",
        // Serialised now, so the stored body does not depend on the formatter's handling of anonymous types later.
        Data = JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web),
    };
}
