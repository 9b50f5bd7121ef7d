var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseDefaultAuthentication();

app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapClientRecordsApi();

await app.RunOrMigrateAsync();
