using MassTransit;
using Procexon.Messaging;

namespace Procexon.Processors.AccountingFirm.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        builder.AddServiceDatabase<AccountingFirmContext>("accountingfirmdb");
        builder.AddServiceMessaging<AccountingFirmContext>(AccountingFirmIdentity.RecipientSlug, bus => bus.AddAccountingFirmConsumers());
        builder.AddServiceOpenApi();
        return builder;
    }

    /// <summary>What the firm does on the bus: keep what Procexon discloses to it, erase it when told to.</summary>
    public static IBusRegistrationConfigurator AddAccountingFirmConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<KeepDisclosedCopy>();
        bus.AddConsumer<EraseClientData>();
        bus.AddConsumer<RectifyClientData>();
        bus.AddConsumer<RepointClientRecordsOfMergedSubject>();
        return bus;
    }
}
