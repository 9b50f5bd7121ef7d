namespace Procexon.Messaging.Inbox;

/// <summary>A message a consumer has handled; its key makes a second delivery a no-op.</summary>
public sealed class InboxMessage
{
    public required Guid MessageId { get; init; }

    public required string Consumer { get; init; }

    public required DateTimeOffset ProcessedAt { get; init; }
}
