using System.Globalization;
using System.Net.Http.Json;

namespace Procexon.AppHost;

/// <summary>The registry's commands on the Aspire dashboard.</summary>
internal static class RegistryCommands
{
    /// <summary>A dashboard button that loads <paramref name="subjects"/> more demo subjects into the running registry.</summary>
    public static IResourceBuilder<ProjectResource> WithDemoDataCommand(
        this IResourceBuilder<ProjectResource> registry, int subjects, IResourceBuilder<ProjectResource> identity)
    {
        var endpoint = registry.GetEndpoint("http");
        var tokens = identity.GetEndpoint("http");
        return registry.WithCommand(
            "load-demo-data",
            string.Create(CultureInfo.InvariantCulture, $"Load {subjects:N0} demo subjects"),
            async context =>
            {
                using var http = new HttpClient { BaseAddress = new Uri(endpoint.Url), Timeout = TimeSpan.FromMinutes(30) };
                // The command acts as the development register admin, whose client secret the dashboard shows.
                http.DefaultRequestHeaders.Authorization = new("Bearer", await IdentityResources.DevelopmentTokenAsync(
                    registry.ApplicationBuilder, new Uri(tokens.Url), "register-admin", context.CancellationToken));
                using var response = await http.PostAsJsonAsync("/api/subjects/demo-data", new { subjects }, context.CancellationToken);
                return response.IsSuccessStatusCode
                    ? CommandResults.Success()
                    : CommandResults.Failure(string.Create(CultureInfo.InvariantCulture, $"The registry answered {(int)response.StatusCode}."));
            },
            new CommandOptions
            {
                Description = "Generates Finnish demo subjects (Bogus) with records in all ten registers and bulk-loads them.",
                IconName = "DatabaseArrowUp",
                UpdateState = context => context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
    }
}
