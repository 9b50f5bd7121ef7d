using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Procexon.Messaging;

public static class MessagingDiagnostics
{
    public const string Name = "Procexon.Messaging";

    public static readonly ActivitySource ActivitySource = new(Name);
}

internal static class OutboxMetrics
{
    private static readonly Meter s_meter = new(MessagingDiagnostics.Name);

    public static readonly Counter<long> Published = s_meter.CreateCounter<long>(
        "procexon.outbox.published", unit: "{message}", description: "Outbox messages confirmed by the broker, by how they were published.");

    /// <summary>Published from memory right after the commit: the usual way.</summary>
    public static readonly KeyValuePair<string, object?> FromMemory = new("procexon.outbox.path", "memory");

    /// <summary>Published by the sweep from the table: a failed publish retried, or a row a process left behind.</summary>
    public static readonly KeyValuePair<string, object?> BySweep = new("procexon.outbox.path", "sweep");

    public static readonly Counter<long> PublishFailures = s_meter.CreateCounter<long>(
        "procexon.outbox.publish_failures", unit: "{message}", description: "Outbox publishes the broker did not confirm.");

    public static readonly Histogram<double> BatchDuration = s_meter.CreateHistogram<double>(
        "procexon.outbox.batch_duration", unit: "ms", description: "One batch of outbox rows published: from taking it to the broker's confirms (for a batch the sweep claimed, to the commit of its removal).");

    public static readonly Counter<long> DuplicatesDropped = s_meter.CreateCounter<long>(
        "procexon.inbox.duplicates_dropped", unit: "{message}", description: "Redelivered messages the inbox recognised and skipped.");

    public static readonly Counter<long> ConsumerRestarts = s_meter.CreateCounter<long>(
        "procexon.messaging.consumer_restarts", unit: "{endpoint}",
        description: "Receive endpoints restarted because their queue had messages waiting and no consumer at several looks in a row.");

    public static readonly Counter<long> PreparedStatementResets = s_meter.CreateCounter<long>(
        "procexon.db.prepared_statement_resets", unit: "{connection}",
        description: "Pooled connections that forgot their prepared statements because a command failed or was cancelled on them.");
}
