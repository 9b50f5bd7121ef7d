var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseIdentityProvider();
app.MapDefaultEndpoints();
app.MapConnectApi();
app.MapAccountPages();

await app.RunOrMigrateAsync();
