namespace Procexon.Registry.DemoData;

/// <summary>
/// With <c>Registry:DemoSubjects</c> = N (the AppHost's <c>demo-subjects</c> parameter), fills an empty registry with N
/// demo subjects after migration. Runs in the background: the service answers while a large load goes on.
/// </summary>
public sealed partial class DemoDataAtStart(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<DemoDataAtStart> logger) : BackgroundService
{
    public const string Setting = "Registry:DemoSubjects";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wanted = configuration.GetValue(Setting, 0);
        if (wanted <= 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryContext>();
        if (await db.Subjects.AnyAsync(stoppingToken))
        {
            LogSkipped(logger, wanted);
            return;
        }

        await scope.ServiceProvider.GetRequiredService<DemoDataLoader>().LoadAsync(wanted, stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: the registry already holds subjects; {Wanted} demo subjects not loaded")]
    private static partial void LogSkipped(ILogger logger, int wanted);
}
