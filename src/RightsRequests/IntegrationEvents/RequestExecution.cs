using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>
/// What a request sets going once the requester's identity is verified, whichever way it was verified. Called in the
/// verification's transaction, so the events leave if and only if the verification commits. Also called when a
/// verified request receives its particulars or its objection decision: each of those may be the last thing missing.
/// The subject travels as keyed hashes of the verified identifiers (the Registry holds the same lookup key).
/// </summary>
public static class RequestExecution
{
    public static void Begin(RightsRequest request, IEventOutbox outbox, SubjectKeyHasher hasher, DateTimeOffset verifiedAt)
    {
        if (request.Type == RequestType.Erasure)
        {
            outbox.Add(new ErasureRequested(request.Id, hasher.HashesOf(request.VerifiedKeys()), verifiedAt));
            return;
        }

        Continue(request, outbox, hasher, verifiedAt);
    }

    /// <summary>
    /// Sends the right to the registry if nothing is missing any more (verified, particulars given, an objection
    /// decided); otherwise nothing. Sends it at most once.
    /// </summary>
    /// <returns>True when this completed the request (a rejected objection): the caller counts it once committed.</returns>
    public static bool Continue(RightsRequest request, IEventOutbox outbox, SubjectKeyHasher hasher, DateTimeOffset now)
    {
        if (request.TryCompleteRejectedObjection(now))
        {
            AnnounceCompletion(request, outbox);
            return true;
        }

        if (request.RightToExercise() is not { } right)
        {
            return false;
        }

        request.RightRequested(right, now);
        outbox.Add(new SubjectRightRequested(request.Id, right, hasher.HashesOf(request.VerifiedKeys()), request.Corrections, request.VerifiedAt ?? now));
        return false;
    }

    /// <summary>Announces a request that has just completed, in the transaction that completed it.</summary>
    public static void AnnounceCompletion(RightsRequest request, IEventOutbox outbox) =>
        outbox.Add(new RightsRequestCompleted(request.Id, RequestText.Kebab(request.Type), request.CompletedAt!.Value));
}
