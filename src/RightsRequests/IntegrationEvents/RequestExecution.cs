using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>
/// What a request sets going once the requester's identity is verified, whichever way it was verified. Called in the
/// verification's transaction, so the events leave if and only if the verification commits.
/// </summary>
public static class RequestExecution
{
    public static void Begin(RightsRequest request, IEventOutbox outbox, DateTimeOffset verifiedAt)
    {
        if (request.Type == RequestType.Erasure)
        {
            outbox.Add(new ErasureRequested(request.Id, request.Subject.ToKeys(), verifiedAt));
        }
    }
}
