using Procexon.Messaging.ErrorQueues;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseDefaultAuthentication();

app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapRetentionRulesApi();
app.MapLegalHoldsApi();
app.MapPlacedLegalHoldsApi();
app.MapRetentionSweepsApi();

app.MapErrorQueueApi("retention", Policies.OperateMessaging);

await app.RunOrMigrateAsync();
