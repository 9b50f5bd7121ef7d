var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapRegistersApi();
app.MapCatalogueEditingApi();
app.MapNoticeApi();
app.MapRecordsApi();
app.MapSubjectsApi();
app.MapSubjectMergeApi();
app.MapDemoDataApi();

app.Run();
