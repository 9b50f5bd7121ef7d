using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Procexon.Gateway.Extensions;

/// <summary>The gateway is only as healthy as the services behind it: asks each one's <c>/health</c>.</summary>
public sealed class BackendHealthCheck(IHttpClientFactory clients, BackendService service) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await clients.CreateClient(nameof(BackendHealthCheck))
                .GetAsync(new Uri($"http://{service.Name}/health"), timeout.Token);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy($"{service.Title} is healthy.")
                : HealthCheckResult.Unhealthy($"{service.Title} answered {(int)response.StatusCode}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{service.Title} does not answer.", ex);
        }
    }
}
