namespace Procexon.Retention.Apis;

public static class RetentionSweepsApi
{
    public static IEndpointRouteBuilder MapRetentionSweepsApi(this IEndpointRouteBuilder app)
    {
        var sweeps = app.MapGroup("/api/retention/sweeps").WithTags("Retention sweeps")
            .RequireAuthorization(Policies.RunSweeps);

        sweeps.MapPost("/", SweepNow)
            .WithName("SweepRetention")
            .WithSummary("Operators: releases now every legal hold whose retention period has ended, as the hourly sweep would.");

        return app;
    }

    public static async Task<Ok<SweepDto>> SweepNow(RetentionSweep sweep, TimeProvider clock, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        var released = await sweep.ReleaseDueHoldsAsync(cancellationToken);
        return TypedResults.Ok(new SweepDto(released, at));
    }
}

public sealed record SweepDto(int Released, DateTimeOffset At);
