using MassTransit;
using Procexon.Messaging;
using Procexon.Messaging.ErrorQueues;
using Procexon.Messaging.Inbox;

namespace Procexon.Registry.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Checked before anything starts: a registry without its keys must not write identifiers at all.
        var protection = IdentifierProtection.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(protection);
        builder.AddServiceDatabase<RegistryContext>("registrydb", options => options.UseIdentifierProtection(protection));
        // Values a registry stored before every identifier was encrypted, encrypted with its key before the clear columns go.
        builder.Services.AddScoped<IKeyedDataUpgrade<RegistryContext>, EncryptClearIdentifiers>();
        // After a key rotation, what is still under the previous key is rewritten under the new one.
        builder.Services.AddEncryptedColumnRewrap<RegistryContext>();
        builder.Services.AddScoped<IDatabaseSeeder<RegistryContext>, IdentifierKeyVerifier>();
        builder.Services.AddScoped<IDatabaseSeeder<RegistryContext>, CatalogueSeeder>();
        builder.Services.AddSingleton(new SuppressionKeys(SuppressionKey(builder.Configuration), protection.Hasher, protection.RetiredHashers));
        builder.Services.AddScoped<Procexon.Registry.DemoData.DemoDataLoader>();
        builder.Services.AddHostedService<Procexon.Registry.DemoData.DemoDataAtStart>();
        builder.AddServiceMessaging<RegistryContext>("registry", AddErasureConsumers, AddRegisterQueues);
        builder.Services.AddSingleton<RegisterQueues>();
        builder.Services.AddScoped<RegisterErasureStep>();
        builder.Services.AddHostedService<RegisterQueueReconciler>();
        builder.AddServiceOpenApi();
        builder.AddDefaultAuthentication();
        return builder;
    }

    /// <summary>Every endpoint of the Registry, each with its policy (DESIGN §10); the host and tests map the same.</summary>
    public static IEndpointRouteBuilder MapRegistryApis(this IEndpointRouteBuilder app)
    {
        app.MapRegistersApi();
        app.MapCatalogueEditingApi();
        app.MapNoticeApi();
        app.MapRecordsApi();
        app.MapSubjectsApi();
        app.MapSubjectMergeApi();
        app.MapSubjectIdentifiersApi();
        app.MapDemoDataApi();
        app.MapErrorQueueApi("registry", Policies.OperateMessaging);
        return app;
    }

    private static void AddErasureConsumers(IBusRegistrationConfigurator bus)
    {
        // Every register of the Registry's database erased in one transaction per batch of requests (DESIGN §3, amended);
        // one batch at a time (as every batch consumer's), so two requests about the same subject never delete the same
        // records side by side.
        bus.AddBatchConsumer<ResolveErasureScope>();
        bus.AddConsumer<EraseRetainedData>();
        bus.AddConsumer<KeepDataUnderLegalHold>();
        bus.AddConsumer<EraseDataOfLiftedLegalHold>();
        // A register whose part of that transaction failed is retried on its own queue, declared by hand below: one per
        // register instead of one for all, each one batch at a time (AddRegisterQueues).
        bus.AddBatchConsumer<ApplyErasureInRegister>().ExcludeFromConfigureEndpoints();
        bus.AddRightsConsumers();
    }

    /// <summary>
    /// Each register has an erasure queue of its own (<c>registry-erasure-{register}</c>) where a register whose
    /// erasure failed in the common transaction is retried: it neither blocks the others, and its own error queue
    /// shows what failed where. These are the seeded
    /// registers'; one added later is connected at run time (<see cref="RegisterQueues"/>).
    /// </summary>
    private static void AddRegisterQueues(IBusRegistrationContext context, IRabbitMqBusFactoryConfigurator rabbit)
    {
        foreach (var register in CatalogueSeeder.RegisterSlugs())
        {
            rabbit.ReceiveEndpoint(ResolveErasureScope.QueueOf(register), endpoint => RegisterQueues.ConfigureErasure(context, endpoint));
            rabbit.ReceiveEndpoint(ResolveRightScope.QueueOf(register), endpoint => RegisterQueues.ConfigureRights(context, endpoint));
        }
    }

    private static byte[] SuppressionKey(IConfiguration configuration)
    {
        var key = configuration["Registry:SuppressionKey"];
        if (string.IsNullOrWhiteSpace(key) || key.Length < 32)
        {
            throw new InvalidOperationException(
                "Registry:SuppressionKey (at least 32 characters) keys the marketing suppression hashes; the AppHost generates one.");
        }

        return System.Text.Encoding.UTF8.GetBytes(key);
    }
}
