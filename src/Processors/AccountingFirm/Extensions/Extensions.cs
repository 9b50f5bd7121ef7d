using MassTransit;
using Procexon.Messaging;
using Procexon.Messaging.Inbox;

namespace Procexon.Processors.AccountingFirm.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        // Read before anything else: a missing or short key stops the firm at start, naming the setting.
        var protection = ClientIdentifierProtection.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(protection);
        builder.AddServiceDatabase<AccountingFirmContext>("accountingfirmdb", options => options.UseColumnEncryption(protection));
        builder.Services.AddScoped<IKeyedDataUpgrade<AccountingFirmContext>, EncryptClearClientIdentifiers>();
        // After a key rotation, what is still under the previous key is rewritten under the new one.
        builder.Services.AddEncryptedColumnRewrap<AccountingFirmContext>();
        builder.AddServiceMessaging<AccountingFirmContext>(AccountingFirmIdentity.RecipientSlug, bus => bus.AddAccountingFirmConsumers());
        builder.AddServiceOpenApi();
        return builder;
    }

    /// <summary>
    /// What the firm does on the bus: keep what Procexon discloses to it, erase, correct, restrict and release it when
    /// told to, follow a merge of two subjects it holds. All of them read the firm's own queue, which DisclosureLog sends to, and bind no
    /// publish exchange, so the firm never receives another recipient's events nor any internal one; its broker user
    /// may read nothing else.
    /// </summary>
    public static IBusRegistrationConfigurator AddAccountingFirmConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<KeepDisclosedCopy>().Endpoint(OwnRecipientQueue);
        bus.AddBatchConsumer<EraseClientData>().Endpoint(OwnRecipientQueue);
        bus.AddConsumer<RectifyClientData>().Endpoint(OwnRecipientQueue);
        bus.AddConsumer<RestrictClientData>().Endpoint(OwnRecipientQueue);
        bus.AddConsumer<LiftClientDataRestriction>().Endpoint(OwnRecipientQueue);
        bus.AddConsumer<RepointClientRecordsOfMergedSubject>().Endpoint(OwnRecipientQueue);
        return bus;
    }

    private static void OwnRecipientQueue(IEndpointRegistrationConfigurator endpoint)
    {
        endpoint.Name = RecipientQueues.Of(AccountingFirmIdentity.RecipientSlug);
        endpoint.ConfigureConsumeTopology = false;
    }
}
