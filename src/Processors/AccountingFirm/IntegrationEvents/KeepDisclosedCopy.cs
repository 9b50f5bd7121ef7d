using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.Processors.AccountingFirm.IntegrationEvents;

/// <summary>Stores the firm's copy of data Procexon disclosed to it; disclosures to other recipients are not its business.</summary>
public sealed partial class KeepDisclosedCopy(AccountingFirmContext db, TimeProvider clock, ILogger<KeepDisclosedCopy> logger)
    : IdempotentConsumer<DataDisclosed, AccountingFirmContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<DataDisclosed> context, CancellationToken cancellationToken)
    {
        var disclosed = context.Message;
        if (disclosed.Recipient != AccountingFirmIdentity.RecipientSlug
            || await Db.ClientRecords.AnyAsync(r => r.DisclosureId == disclosed.DisclosureId, cancellationToken))
        {
            return;
        }

        Db.ClientRecords.Add(new ClientRecord
        {
            Id = Guid.CreateVersion7(),
            DisclosureId = disclosed.DisclosureId,
            SubjectId = disclosed.SubjectId,
            Email = disclosed.Subject.Email,
            Phone = disclosed.Subject.Phone,
            CustomerNumber = disclosed.Subject.CustomerNumber,
            BusinessId = disclosed.Subject.BusinessId,
            Categories = [.. disclosed.Categories],
            LegalBasis = disclosed.LegalBasis,
            ReceivedAt = Clock.GetUtcNow(),
        });
        LogStored(_logger, disclosed.DisclosureId, disclosed.Categories.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Disclosure {DisclosureId} stored ({Categories} data categories)")]
    private static partial void LogStored(ILogger logger, Guid disclosureId, int categories);
}
