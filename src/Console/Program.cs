var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConsoleServices();

var app = builder.Build();

app.UseConsolePipeline();
app.MapDefaultEndpoints();
app.MapAccountEndpoints();
app.MapConsolePages();

await app.RunOrMigrateAsync();
