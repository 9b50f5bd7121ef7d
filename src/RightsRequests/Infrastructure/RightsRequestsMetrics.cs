using System.Diagnostics.Metrics;
using Procexon.Messaging.Mail;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>
/// The service's meters: open, overdue and due-soon requests (gauges read from counts <see cref="OpenRequestsGaugeRefresher"/>
/// keeps fresh, so an exporter's scrape never touches the database), completions, how long erasures take, and answer
/// copies removed at the end of their retention, and mail to subjects sent or not.
/// </summary>
public sealed class RightsRequestsMetrics
{
    public const string MeterName = "Procexon.RightsRequests";

    private readonly Counter<long> _completed;
    private readonly Histogram<double> _erasureDuration;
    private readonly Counter<long> _answerCopiesPurged;
    private long _open;
    private long _overdue;
    private long _dueSoon;

    public RightsRequestsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("procexon.requests.open", () => Interlocked.Read(ref _open),
            unit: "{request}", description: "Requests not yet completed or refused.");
        meter.CreateObservableGauge("procexon.requests.overdue", () => Interlocked.Read(ref _overdue),
            unit: "{request}", description: "Open requests whose answer period (GDPR Art 12(3)) has ended.");
        meter.CreateObservableGauge("procexon.requests.due_soon", () => Interlocked.Read(ref _dueSoon),
            unit: "{request}", description: "Open requests not yet overdue but due within RightsRequests:DueSoonDays days.");
        _completed = meter.CreateCounter<long>("procexon.requests.completed",
            unit: "{request}", description: "Requests completed, by type.");
        _erasureDuration = meter.CreateHistogram<double>("procexon.requests.erasure_duration",
            unit: "ms", description: "Time from identity verification to completion of an erasure request.");
        _answerCopiesPurged = meter.CreateCounter<long>("procexon.rightsrequests.answer_copies.purged",
            unit: "{copy}", description: "Copies of a register's data on a subject, kept for an access or portability answer, removed after RightsRequests:AnswerCopies:KeepFor.");
        Mail = new MailCounters(meter, "procexon.rightsrequests.mail", "data subjects (codes, notices)");
    }

    public long Open => Interlocked.Read(ref _open);

    public long Overdue => Interlocked.Read(ref _overdue);

    public long DueSoon => Interlocked.Read(ref _dueSoon);

    public void SetOpenCounts(long open, long overdue)
    {
        Interlocked.Exchange(ref _open, open);
        Interlocked.Exchange(ref _overdue, overdue);
    }

    public void SetDueSoonCount(long dueSoon) => Interlocked.Exchange(ref _dueSoon, dueSoon);

    public void AnswerCopiesPurged(int copies) => _answerCopiesPurged.Add(copies);

    /// <summary><c>procexon.rightsrequests.mail.sent</c> and <c>.failed</c>, counted by the shared mailer.</summary>
    public MailCounters Mail { get; }

    public void Completed(RightsRequest request)
    {
        _completed.Add(1, new KeyValuePair<string, object?>("type", RequestText.Kebab(request.Type)));
        if (request is { Type: RequestType.Erasure, VerifiedAt: { } verifiedAt, CompletedAt: { } completedAt })
        {
            _erasureDuration.Record((completedAt - verifiedAt).TotalMilliseconds);
        }
    }
}
