using Procexon.Messaging.ErrorQueues;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseDefaultAuthentication();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapRequestIntakeApi();
app.MapRequestLifecycleApi();

app.MapErrorQueueApi("rightsrequests", Policies.OperateMessaging);

await app.RunOrMigrateAsync();
