namespace Procexon.Processors.AccountingFirm.Model;

/// <summary>The accounting firm's copy of a subject's data that Procexon disclosed to it (one per disclosure).</summary>
public sealed class ClientRecord
{
    public required Guid Id { get; init; }

    /// <summary>The disclosure this copy came from; a second delivery of it stores nothing new.</summary>
    public required Guid DisclosureId { get; init; }

    /// <summary>The subject's id in Procexon's registry, as the disclosure named it.</summary>
    public required Guid SubjectId { get; init; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? CustomerNumber { get; init; }

    public string? BusinessId { get; init; }

    public required List<string> Categories { get; init; }

    public required string LegalBasis { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>
    /// Since when Procexon restricted the processing of this copy (GDPR Art 18, 19): the firm keeps it but does not
    /// otherwise process it; null when not restricted, or once the restriction is lifted.
    /// </summary>
    public DateTimeOffset? RestrictedAt { get; set; }
}

/// <summary>What the firm erased for one erasure notice: its own audit, and the reason it confirms only once.</summary>
public sealed class ErasureLogEntry
{
    public required Guid NotificationId { get; init; }

    public required Guid RequestId { get; init; }

    public required int RecordsErased { get; init; }

    public required DateTimeOffset ErasedAt { get; init; }
}

public static class AccountingFirmIdentity
{
    /// <summary>The firm's slug among Procexon's recipients: it acts only on events addressed to it.</summary>
    public const string RecipientSlug = "accounting-firm";
}
