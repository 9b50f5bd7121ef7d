using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Messaging;

// Beside WebApplication's own Run, so that every Program.cs finds it without a using.
namespace Microsoft.AspNetCore.Builder;

/// <summary>The service's migration as a step of its own: run by a process started for it, which then exits.</summary>
public static class DatabaseMigrationSteps
{
    public const string MigrateAndExitSetting = "Database:MigrateAndExit";
    public const string MigratedBySeparateStepSetting = "Database:MigratedBySeparateStep";

    /// <summary>
    /// Runs the service, or, when <c>Database:MigrateAndExit</c> is set, only migrates its database and returns: the
    /// AppHost starts a service's migration step (the only process given the schema owner's password) this way, and
    /// the service after it has finished.
    /// </summary>
    public static async Task RunOrMigrateAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue(MigrateAndExitSetting, false))
        {
            await app.RunAsync();
            return;
        }

        using var stopping = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        foreach (var step in app.Services.GetServices<IDatabaseMigrationStep>())
        {
            await step.MigrateAsync(stopping.Token);
        }

        // Disposing flushes the step's traces and logs to the dashboard before the process ends.
        await app.DisposeAsync();
    }
}
