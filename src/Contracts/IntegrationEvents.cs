namespace Procexon.Contracts;

/// <summary>A data subject's request was recorded and its answer period started. Carries no personal data.</summary>
public sealed record RightsRequestReceived(Guid RequestId, string Type, string Channel, DateTimeOffset ReceivedAt, DateOnly DueOn);
