var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseDefaultAuthentication();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapRegistryApis();

await app.RunOrMigrateAsync();
