var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseDefaultAuthentication();

app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapRetentionRulesApi();
app.MapLegalHoldsApi();
app.MapRetentionSweepsApi();

app.Run();
