using MassTransit;
using Procexon.Messaging;
using Procexon.Messaging.Inbox;

namespace Procexon.RightsRequests.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        // Read before anything else: a missing or short key stops the service at start, naming the setting.
        var protection = RequesterIdentifierProtection.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(protection);
        builder.Services.AddSingleton(SubjectLookupKey(builder.Configuration));
        builder.AddServiceDatabase<RightsRequestsContext>("rightsrequestsdb", options => options.UseColumnEncryption(protection));
        builder.Services.AddScoped<IKeyedDataUpgrade<RightsRequestsContext>, EncryptClearCorrections>();
        // After a key rotation, what is still under the previous key is rewritten under the new one.
        builder.Services.AddEncryptedColumnRewrap<RightsRequestsContext>();
        builder.AddServiceMessaging<RightsRequestsContext>("rightsrequests", addConsumers: bus =>
        {
            // Answers are recorded a batch per transaction (ErasureProgressConsumer): ten registers answering
            // about one request, or a hundred requests' answers under load, cost one commit. An erasure's scope comes
            // with DisclosureLog's notified recipients (RecordNotifiedRecipients), not on a queue of its own.
            bus.AddBatchConsumer<RecordRegisterOutcome>();
            bus.AddBatchConsumer<RecordNotifiedRecipients>();
            bus.AddBatchConsumer<RecordRecipientConfirmation>();
            bus.AddRightsConsumers();
        });
        // Its queue, where the Registry's ErasureScopeResolved came until the scope came with the recipients.
        builder.RetireQueues("rightsrequests-record-erasure-scope");
        builder.AddRequestMetrics();
        builder.AddRequestLifecycle();
        builder.AddServiceOpenApi();
        return builder;
    }

    public const string SubjectLookupKeySetting = "RightsRequests:SubjectLookupKey";

    /// <summary>
    /// The Registry's lookup key (<c>Registry:IdentifierKey</c>): requests name the subject by keyed hashes made with
    /// it. A different key is caught by the Registry, which refuses the request instead of finding nobody.
    /// </summary>
    private static SubjectKeyHasher SubjectLookupKey(IConfiguration configuration)
    {
        var value = configuration[SubjectLookupKeySetting];
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length < SubjectKeyHasher.MinimumKeyLength)
        {
            throw new InvalidOperationException(
                $"{SubjectLookupKeySetting} is {(string.IsNullOrWhiteSpace(value) ? "missing" : "too short")}: it must be the Registry's "
                + $"Registry:IdentifierKey, at least {SubjectKeyHasher.MinimumKeyLength} characters. The AppHost passes it; elsewhere set it "
                + "(environment variable RightsRequests__SubjectLookupKey).");
        }

        return new SubjectKeyHasher(value.Trim());
    }

    /// <summary>The service's meters, and the refresher that keeps the open/overdue gauges off the database.</summary>
    public static IHostApplicationBuilder AddRequestMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<RightsRequestsMetrics>();
        builder.Services.AddSingleton<OpenRequestsGaugeRefresher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OpenRequestsGaugeRefresher>());
        return builder;
    }
}
