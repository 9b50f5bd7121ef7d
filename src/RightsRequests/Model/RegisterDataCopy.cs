namespace Procexon.RightsRequests.Model;

/// <summary>
/// The subject's data one register sent for an access or portability request, kept with the request so that its
/// answer and export can be written; the catalogue's account of the register comes with it for access (Art 15(1)).
/// </summary>
public sealed class RegisterDataCopy
{
    public required Guid RequestId { get; init; }

    public required string Register { get; init; }

    public required LocalizedText Name { get; init; }

    public required List<HeldRecord> Records { get; init; }

    public RegisterProcessing? Processing { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}
