using System.Text.Json;

namespace Procexon.Bench;

/// <summary>One erasure request under measurement: client-side stopwatch ticks and the server's own timestamps.</summary>
internal sealed class Erasure(LoadedSubject subject)
{
    public LoadedSubject Subject { get; } = subject;

    public Guid Id => Subject.RequestId;

    public string Path => $"/api/requests/{Id}";

    /// <summary>When the open-loop schedule meant to send the verification (the start of client-observed latency).</summary>
    public long ScheduledAt { get; set; }

    public long SentAt { get; set; }

    public long VerifiedResponseAt { get; set; }

    /// <summary>When the bench first saw the request completed (its completion event, or a poll).</summary>
    public long ObservedAt { get; set; }

    public string? Error { get; set; }

    public ServerTimes? Server { get; set; }

    public bool Verified => VerifiedResponseAt != 0;

    public bool Completed => Server?.CompletedAt is not null;

    /// <summary>Verification → completion on the server's clock (RightsRequests stamps both).</summary>
    public double ServerMs => (Server!.CompletedAt!.Value - Server.VerifiedAt).TotalMilliseconds;

    /// <summary>Scheduled send → first seen completed, on the bench's clock.</summary>
    public double ClientMs => Clock.Ms(ScheduledAt, ObservedAt);
}

/// <summary>The timestamps in <c>GET /api/requests/{id}</c> that tell where an erasure's time went.</summary>
internal sealed record ServerTimes(
    string Status,
    DateTimeOffset VerifiedAt,
    DateTimeOffset? ScopeResolvedAt,
    DateTimeOffset? FirstRegisterAnsweredAt,
    DateTimeOffset? LastRegisterAnsweredAt,
    DateTimeOffset? RecipientsResolvedAt,
    DateTimeOffset? RecipientConfirmedAt,
    DateTimeOffset? CompletedAt,
    int Registers,
    int RegistersHolding)
{
    public static ServerTimes? From(JsonElement status)
    {
        if (!status.TryGetProperty("verification", out var verification) || verification.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        DateTimeOffset? first = null, last = null, confirmed = null;
        int registers = 0, holding = 0;
        foreach (var register in status.GetProperty("registers").EnumerateArray())
        {
            registers++;
            // Not-held registers are stamped with the scope's time; the held ones with the register's own erasure.
            if (register.GetProperty("outcome").GetString() is "not-held" or "pending" || Time(register, "answeredAt") is not { } at)
            {
                continue;
            }

            holding++;
            first = first is null || at < first ? at : first;
            last = last is null || at > last ? at : last;
        }

        foreach (var recipient in status.GetProperty("recipients").EnumerateArray())
        {
            if (Time(recipient, "confirmedAt") is { } at)
            {
                confirmed = confirmed is null || at > confirmed ? at : confirmed;
            }
        }

        return new ServerTimes(
            status.GetProperty("status").GetString() ?? "",
            verification.GetProperty("verifiedAt").GetDateTimeOffset(),
            Time(status, "scopeResolvedAt"),
            first,
            last,
            Time(status, "recipientsResolvedAt"),
            confirmed,
            status.GetProperty("status").GetString() == "completed" ? Time(status, "completedAt") : null,
            registers,
            holding);
    }

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;
}
