using Procexon.Messaging.ErrorQueues;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseDefaultAuthentication();

app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapRecipientsApi();
app.MapRecipientChannelsApi();
app.MapDisclosuresApi();
app.MapErasureNotificationsApi();
app.MapRectificationNotificationsApi();
app.MapRestrictionNotificationsApi();
app.MapWebhookSchemasApi();
app.MapEmailConfirmationApi();

app.MapErrorQueueApi("disclosurelog", Policies.OperateMessaging);

await app.RunOrMigrateAsync();
