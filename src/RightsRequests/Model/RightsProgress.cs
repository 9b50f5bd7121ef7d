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

        ErasureProgress.AddAwaitedAnswers(request, awaited);
        return awaited;
    }
}
