namespace Procexon.RightsRequests.Model;

/// <summary>Where a request other than erasure stands, in words for staff. Pure.</summary>
public static class RightsProgress
{
    public static IReadOnlyList<string> Awaiting(RightsRequest request)
    {
        switch (request.Status)
        {
            case RequestStatus.Completed:
                return [];
            case RequestStatus.Refused:
                return ["nothing: the request was refused"];
        }

        var awaited = new List<string>();
        if (request.Status == RequestStatus.AwaitingVerification)
        {
            awaited.Add("identity verification");
        }

        if (!request.HasParticulars)
        {
            awaited.Add(request.Type == RequestType.Rectification
                ? "the corrections (PUT /api/requests/{id}/particulars)"
                : "what the subject objects to (PUT /api/requests/{id}/particulars)");
        }
        else if (request is { Type: RequestType.Objection, ObjectionTo: ObjectionGrounds.LegitimateInterest, Decision: null })
        {
            awaited.Add("a decision on the objection, with its reason (POST /api/requests/{id}/objection-decision)");
        }

        if (request.Right is null)
        {
            return awaited;
        }

        if (request.ScopeResolvedAt is null)
        {
            awaited.Add("the registry's scope (which registers hold the subject)");
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

        return awaited;
    }
}
