var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapRightsRequestsApi();
app.MapRequestLifecycleApi();
app.MapRequestForm();

app.Run();
