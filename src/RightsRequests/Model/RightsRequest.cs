namespace Procexon.RightsRequests.Model;

/// <summary>A data subject's request under GDPR Articles 15–21, from intake to the answer.</summary>
public sealed class RightsRequest
{
    public required Guid Id { get; init; }

    public required RequestType Type { get; init; }

    public required RequestStatus Status { get; set; }

    /// <summary>How the request arrived: web-form, email, letter, phone or in-person.</summary>
    public required string Channel { get; init; }

    public string? Details { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The last day of the answer period (Art 12(3)), in Finnish time.</summary>
    public required DateOnly DueOn { get; set; }

    public required SubjectIdentifiers Subject { get; init; }
}

/// <summary>What the requester gave to identify themselves, normalised. Not yet proof of identity.</summary>
public sealed record SubjectIdentifiers(
    string? Name,
    string? Email,
    string? Phone,
    string? Hetu,
    string? BusinessId,
    string? CustomerNumber);

public enum RequestType
{
    Access,
    Rectification,
    Erasure,
    Restriction,
    Portability,
    Objection,
}

public enum RequestStatus
{
    AwaitingVerification,
    InProgress,
    Completed,
    Refused,
}
