using Procexon.Registry.DemoData;

namespace Procexon.Registry.Apis;

/// <summary>
/// <c>POST /api/subjects/demo-data</c>: N generated demo subjects with their records in all ten registers. Only where
/// <c>Registry:DemoData:Enabled</c> is true (the AppHost sets it for local runs): never in production.
/// </summary>
public static class DemoDataApi
{
    public const string EnabledSetting = "Registry:DemoData:Enabled";
    public const int MaxPerCall = 1_000_000;

    public static IEndpointRouteBuilder MapDemoDataApi(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue(EnabledSetting, false))
        {
            return app;
        }

        app.MapPost("/api/subjects/demo-data", LoadDemoData)
            .WithTags("Demo data")
            .RequireAuthorization(Policies.ManageSubjects)
            .WithName("LoadDemoData")
            .WithSummary("Generates and bulk-loads demo subjects (Bogus, Finnish) with records in every register; answers the load rate.");
        return app;
    }

    public static async Task<Results<Ok<DemoDataLoaded>, ValidationProblem>> LoadDemoData(
        DemoDataBody body, DemoDataLoader loader, CancellationToken cancellationToken)
    {
        if (body.Subjects is not (> 0 and <= MaxPerCall))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["subjects"] = [$"Give the number of subjects to load, 1–{MaxPerCall}."] },
                title: "The demo-data request is not valid.");
        }

        return TypedResults.Ok(await loader.LoadAsync(body.Subjects.Value, cancellationToken));
    }
}

public sealed record DemoDataBody(int? Subjects);
