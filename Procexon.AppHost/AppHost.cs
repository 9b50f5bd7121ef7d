using Microsoft.Extensions.Configuration;
using Procexon.AppHost;
using Procexon.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// PostgreSQL and RabbitMQ: containers where an engine answers, Debian's servers as executables where none does. Each
// process gets a database role and a broker user of its own (docs/security.md).
var infrastructure = builder.AddPlatformInfrastructure();

// The mail server for mail to data subjects (codes, notices): Debian's aiosmtpd, keeping each message as a file a
// developer or a test reads (README, "Mail in Development"). Elsewhere ConnectionStrings:mail names a real SMTP host.
var mail = builder.AddLocalMailServer(infrastructure);

// Development mode (`DevelopmentMode=true`, which scripts/run.sh sets): the demo-data endpoint, behind a role. Off
// unless asked for, so no deployment carries it by accident.
var developmentMode = builder.Configuration.GetValue("DevelopmentMode", false);

// The single entry for web clients and processors, declared first: its public address is the tokens' issuer.
var gateway = builder.AddProject<Projects.Procexon_Gateway>("gateway")
    .WithEndpoint("http", endpoint => endpoint.Port = builder.Configuration.GetValue("Gateway:Port", 8080));
var issuer = gateway.GetEndpoint("http");

// `--Replicas=2` runs each of the four services, the identity provider and the console twice, the services competing on
// their queues and sharing their outboxes, the provider's replicas sharing its keys and state in identitydb, the
// console's its sessions and key ring in consoledb (docs/architecture.md). The gateway and the sample processors stay single.
var replicas = builder.Configuration.GetValue("Replicas", 1);

// Who the callers are (DESIGN §10): the platform's own OpenID Connect provider, behind the gateway.
// The staff console's secret at the provider: generated once, read by both.
var consoleSecret = builder.AddSecret($"identity-client-{IdentityResources.ConsoleClientId}-secret", infrastructure);
var identity = builder.AddIdentityProvider(infrastructure, issuer, consoleSecret, replicas);

// Keys the marketing suppression list's hashes (Art 21(3)); generated on first run and kept with the local data.
var suppressionKey = builder.AddSecret("registry-suppression-key", infrastructure);
// Key the hashes every subject is looked up by, and encrypt every identifier at rest (docs/architecture.md). Losing
// them loses the registry's subjects: they are kept with the local data like the suppression key.
var identifierKey = builder.AddSecret("registry-identifier-key", infrastructure);
var identifierEncryptionKey = builder.AddSecret("registry-identifier-encryption-key", infrastructure);

// Demo data (docs/README): `--Parameters:demo-subjects=N` fills an empty registry with N generated subjects at start.
var demoSubjects = builder.AddParameter("demo-subjects", builder.Configuration["Parameters:demo-subjects"] ?? "0");

// Keys the hashes of the one-time codes mailed to requesters, so a code stays valid across a restart.
var verificationCodeKey = builder.AddSecret("rightsrequests-verification-code-key", infrastructure);
// Encrypts the requester's identifiers at rest (docs/architecture.md); losing it loses them, so it is kept with the local data.
var requesterIdentifierKey = builder.AddSecret("rightsrequests-identifier-key", infrastructure);

// Seals the personal values the services pass each other over the broker (corrections, access answers): one secret for
// the three that exchange them, so the broker, its error queues and its operators hold none in clear (docs/security.md).
var transitKey = builder.AddSecret("messaging-transit-key", infrastructure);

var registry = builder.AddProject<Projects.Procexon_Registry>("registry")
    .WithServiceDatabase<Projects.Procexon_Registry>(infrastructure, "registrydb")
    .WithEnvironment("Registry__SuppressionKey", suppressionKey)
    .WithEnvironment("Registry__IdentifierKey", identifierKey)
    .WithEnvironment("Registry__IdentifierEncryptionKey", identifierEncryptionKey)
    .WithEnvironment("Registry__DemoSubjects", demoSubjects)
    .WithEnvironment("Registry__DemoData__Enabled", developmentMode.ToString())
    .WithEnvironment("Messaging__TransitKey", transitKey)
    .WithDemoDataCommand(10_000, identity)
    .WithTokenValidation(issuer, identity)
    .WithHttpHealthCheck("/health")
    .WithServiceBroker(infrastructure, "registry")
    .WithReplicas(replicas);

var rightsRequests = builder.AddProject<Projects.Procexon_RightsRequests>("rightsrequests")
    .WithServiceDatabase<Projects.Procexon_RightsRequests>(infrastructure, "rightsrequestsdb")
    .WithEnvironment("RightsRequests__VerificationCodeKey", verificationCodeKey)
    .WithEnvironment("RightsRequests__IdentifierKey", requesterIdentifierKey)
    // Requests name the subject by keyed hashes the Registry can match: the same lookup key, never the identifiers.
    .WithEnvironment("RightsRequests__SubjectLookupKey", identifierKey)
    .WithEnvironment("Messaging__TransitKey", transitKey)
    .WithMailServer(mail)
    .WithTokenValidation(issuer, identity)
    .WithHttpHealthCheck("/health")
    .WithServiceBroker(infrastructure, "rightsrequests")
    .WithReplicas(replicas);

var retention = builder.AddProject<Projects.Procexon_Retention>("retention")
    .WithServiceDatabase<Projects.Procexon_Retention>(infrastructure, "retentiondb")
    .WithTokenValidation(issuer, identity)
    .WithHttpHealthCheck("/health")
    .WithServiceBroker(infrastructure, "retention")
    .WithReplicas(replicas);

// A sample processor (the accounting firm): reads its own queue, recipient-accounting-firm, for disclosures and
// notices; erases or corrects its copy and confirms.
var accountingFirm = builder.AddProject<Projects.Procexon_Processors_AccountingFirm>("accounting-firm")
    .WithServiceDatabase<Projects.Procexon_Processors_AccountingFirm>(infrastructure, "accountingfirmdb")
    // Encrypts the identifiers disclosed to the firm at rest; a real processor keeps its own key.
    .WithEnvironment("AccountingFirm__IdentifierKey", builder.AddSecret("accounting-firm-identifier-key", infrastructure))
    .WithTokenValidation(issuer, identity)
    .WithHttpHealthCheck("/health")
    .WithProcessorBroker(infrastructure, "accounting-firm");

// A processor not written in .NET (src/Processors/WebsiteCompany, Node.js): the IT company that keeps the website
// receives its notices as signed CloudEvents webhooks, keeps its copy in its own data folder, and confirms through
// the gateway with its client's token (dev-processor-website-it-company). The signing secret is generated once and
// given to both ends: "whsec_" and the generated hex, which is valid base64 (24 bytes), as Standard Webhooks asks.
var websiteWebhookSecret = ReferenceExpression.Create($"whsec_{builder.AddSecret("website-company-webhook-secret", infrastructure).Resource}");
var websiteCompany = builder.AddExecutable("website-company", "node", Path.Combine(builder.AppHostDirectory, "..", "src", "Processors", "WebsiteCompany"), "server.js")
    .WithHttpEndpoint(env: "PORT")
    .WithEnvironment("WEBHOOK_SECRET", websiteWebhookSecret)
    .WithEnvironment("GATEWAY_URL", issuer)
    .WithEnvironment("CLIENT_ID", IdentityResources.ProcessorClientId(IdentityResources.WebsiteCompany))
    .WithEnvironment("CLIENT_SECRET", builder.ProcessorClientSecret(IdentityResources.WebsiteCompany))
    .WithEnvironment("DATA_DIR", infrastructure.DataDirectory("website-company"))
    // Encrypts its copy of what was disclosed to it at rest; a real processor keeps its own key.
    .WithEnvironment("STORE_KEY", builder.AddSecret("website-company-store-key", infrastructure))
    .WithHttpHealthCheck("/health");

// After the processors: the firm's queue must exist before the first event is sent to it, or the broker drops it.
var disclosureLog = builder.AddProject<Projects.Procexon_DisclosureLog>("disclosurelog")
    .WithServiceDatabase<Projects.Procexon_DisclosureLog>(infrastructure, "disclosurelogdb")
    // Encrypts webhook recipients' signing secrets and the events waiting for delivery at rest.
    .WithEnvironment("DisclosureLog__EncryptionKey", builder.AddSecret("disclosurelog-encryption-key", infrastructure))
    .WithEnvironment("Messaging__TransitKey", transitKey)
    // The gateway as recipients reach it: each webhook event's dataschema points there, each mailed notice's link too.
    .WithEnvironment("DisclosureLog__PublicAddress", issuer)
    // The defaults of the recipients' channels (a privacy officer's change through the API wins over them from then on).
    // The website company is a webhook recipient: where it listens and the secret its events are signed with.
    .WithEnvironment($"DisclosureLog__Webhooks__Recipients__{IdentityResources.WebsiteCompany}__Url",
        ReferenceExpression.Create($"{websiteCompany.GetEndpoint("http")}/webhooks"))
    .WithEnvironment($"DisclosureLog__Webhooks__Recipients__{IdentityResources.WebsiteCompany}__Secret", websiteWebhookSecret)
    // The auditor is an e-mail recipient: its notices are mailed through the same mail server, each with a one-time
    // confirmation link through the gateway.
    .WithMailServer(mail)
    .WithEnvironment("DisclosureLog__Email__Recipients__auditor", builder.Configuration["Mail:AuditorAddress"] ?? "tilintarkastaja@auditor.example")
    .WithTokenValidation(issuer, identity)
    .WithHttpHealthCheck("/health")
    .WithServiceBroker(infrastructure, "disclosurelog")
    .WithReplicas(replicas)
    .WaitFor(accountingFirm)
    .WaitFor(websiteCompany);

// The operators' button for messages that failed every retry, on each service with messaging.
foreach (var service in new[] { registry, rightsRequests, retention, disclosureLog })
{
    service.WithReplayFailedMessagesCommand(identity);
}

// The staff console (DESIGN §11): pages for the people who answer requests, signed in at the identity provider, calling
// the public API through the gateway with the user's token. The gateway routes everything no other route claims to it.
var console = builder.AddProject<Projects.Procexon_Console>("console")
    .WithServiceDatabase<Projects.Procexon_Console>(infrastructure, "consoledb")
    // Seals the signed-in sessions (their tokens) and the key ring at rest in consoledb; losing it signs everyone out.
    .WithEnvironment("Console__SessionKey", builder.AddSecret("console-session-key", infrastructure))
    .WithEnvironment("Console__PublicAddress", issuer)
    .WithEnvironment("Console__ClientId", IdentityResources.ConsoleClientId)
    .WithEnvironment("Console__ClientSecret", consoleSecret)
    .WithTokenValidation(issuer, identity)
    .WithHttpHealthCheck("/health")
    .WaitFor(identity)
    // Further settings from the AppHost's own configuration (Console:…), e.g. a test's.
    .WithConfigurationSection(builder.Configuration, "Console")
    .WithReplicas(replicas);

// The gateway routes by path to the services above, to the identity provider and to the console; it checks tokens too.
gateway
    .WithExternalHttpEndpoints()
    .WithTokenValidation(issuer, identity)
    .WithHttpHealthCheck("/health")
    .WithReference(registry).WaitFor(registry)
    .WithReference(rightsRequests).WaitFor(rightsRequests)
    .WithReference(retention).WaitFor(retention)
    .WithReference(disclosureLog).WaitFor(disclosureLog)
    .WithReference(identity).WaitFor(identity)
    .WithReference(console).WaitFor(console);

builder.Build().Run();
