using System.Globalization;
using System.Net.Http.Json;

namespace Procexon.AppHost;

/// <summary>The operators' commands on the Aspire dashboard for every service with messaging.</summary>
internal static class OperationsCommands
{
    /// <summary>
    /// A dashboard button that sends every message waiting in the service's error queues back to the queue it failed
    /// on, once the fault is mended (as the development privacy officer, through the service's own API:
    /// <c>/api/operations/{service}/error-messages</c>). Each applies once: the consumers' inboxes drop a second copy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReplayFailedMessagesCommand(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> identity)
    {
        var endpoint = service.GetEndpoint("http");
        var tokens = identity.GetEndpoint("http");
        var path = $"/api/operations/{service.Resource.Name}/error-messages";
        return service.WithCommand(
            "replay-failed-messages",
            "Replay failed messages",
            async context =>
            {
                using var http = new HttpClient { BaseAddress = new Uri(endpoint.Url), Timeout = TimeSpan.FromMinutes(2) };
                http.DefaultRequestHeaders.Authorization = new("Bearer", await IdentityResources.DevelopmentTokenAsync(
                    service.ApplicationBuilder, new Uri(tokens.Url), "privacy-officer", context.CancellationToken));
                var failed = await http.GetFromJsonAsync<List<FailedMessage>>(path, context.CancellationToken) ?? [];
                var replayed = 0;
                foreach (var message in failed.Where(m => m.MessageId is not null))
                {
                    using var response = await http.PostAsync(new Uri($"{path}/{message.MessageId}/replay", UriKind.Relative), null, context.CancellationToken);
                    replayed += response.IsSuccessStatusCode ? 1 : 0;
                }

                return replayed == failed.Count
                    ? CommandResults.Success()
                    : CommandResults.Failure(string.Create(CultureInfo.InvariantCulture, $"Replayed {replayed} of {failed.Count} failed messages."));
            },
            new CommandOptions
            {
                Description = "Sends every message in this service's error queues back to its queue (after the fault is mended); each applies once.",
                IconName = "ArrowRepeatAll",
                ConfirmationMessage = "Replay every failed message of this service? Do it once the cause of the failures is mended.",
                UpdateState = context => context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });
    }

    private sealed record FailedMessage(string Queue, Guid? MessageId);
}
