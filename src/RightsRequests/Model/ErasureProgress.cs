namespace Procexon.RightsRequests.Model;

/// <summary>Where an erasure request's fan-out stands: what is done, what is still awaited. Pure.</summary>
public static class ErasureProgress
{
    public const string Pending = "pending";

    /// <summary>
    /// Complete when Registry has reported the scope, DisclosureLog has reported whom it notified (possibly nobody),
    /// every register in scope has answered and every notified recipient has confirmed, or, for a restriction, its lifting
    /// has been decided (the notices of the lifting supersede the unconfirmed ones).
    /// </summary>
    public static bool IsComplete(RightsRequest request) =>
        request.ScopeResolvedAt is not null
        && request.RecipientsResolvedAt is not null
        && request.Registers.TrueForAll(r => !r.IsPending)
        && (request.Lifting is not null || request.Recipients.TrueForAll(r => r.IsConfirmed));

    /// <summary>What a request still waits for, in words for staff; empty once it is completed.</summary>
    public static IReadOnlyList<string> Awaiting(RightsRequest request)
    {
        switch (request.Status)
        {
            case RequestStatus.Completed:
                return [];
            case RequestStatus.AwaitingVerification:
                return ["identity verification"];
            case RequestStatus.Refused:
                return ["nothing: the request was refused"];
        }

        if (request.Type != RequestType.Erasure)
        {
            return [$"the handling of the {RequestText.Kebab(request.Type)} request"];
        }

        var awaited = new List<string>();
        AddAwaitedAnswers(request, awaited);
        return awaited;
    }

    /// <summary>What a fanned-out request (erasure or another right) still waits for: scope, registers, recipients.</summary>
    internal static void AddAwaitedAnswers(RightsRequest request, List<string> awaited)
    {
        if (request.ScopeResolvedAt is null)
        {
            // An erasure's scope comes with the disclosure log's notices, so a stopped disclosure log holds it back too.
            awaited.Add(request.Type == RequestType.Erasure
                ? "the registry's scope (which registers hold the subject), passed on by the disclosure log"
                : "the registry's scope (which registers hold the subject)");
        }

        var registers = request.Registers.Where(r => r.IsPending).Select(r => r.Register).Order(StringComparer.Ordinal).ToList();
        if (registers.Count > 0)
        {
            awaited.Add($"answers from registers: {string.Join(", ", registers)}");
        }

        if (request.RecipientsResolvedAt is null)
        {
            awaited.Add("the disclosure log's list of notified recipients");
        }

        var recipients = request.Recipients.Where(r => !r.IsConfirmed).Select(r => r.Recipient).Order(StringComparer.Ordinal).ToList();
        if (recipients.Count > 0)
        {
            awaited.Add($"confirmations from recipients: {string.Join(", ", recipients)}");
        }
    }

    /// <summary>A register's outcome as shown: <c>pending</c> until it answers.</summary>
    public static string OutcomeOf(RegisterAnswer answer) => answer.Outcome ?? Pending;

    /// <summary>
    /// confirmed; superseded when unconfirmed and the restriction's lifting was decided; overdue when unconfirmed past its
    /// confirm-by time; otherwise notified.
    /// </summary>
    public static RecipientStatus StatusOf(RecipientAnswer notice, DateTimeOffset now, bool superseded = false) =>
        notice.IsConfirmed ? RecipientStatus.Confirmed
        : superseded ? RecipientStatus.Superseded
        : notice.ConfirmBy is { } confirmBy && now > confirmBy ? RecipientStatus.Overdue
        : RecipientStatus.Notified;
}

public enum RecipientStatus
{
    Notified,
    Confirmed,
    Overdue,

    /// <summary>A restriction notice left unconfirmed when the restriction was lifted: the notice of the lifting took its place.</summary>
    Superseded,
}
