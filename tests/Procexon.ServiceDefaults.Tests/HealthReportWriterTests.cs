using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Procexon.ServiceDefaults.Tests;

[Trait("Category", "Unit")]
public sealed class HealthReportWriterTests
{
    private const string Secret = "Failed to connect to 10.1.2.3:5432 as postgres: password authentication failed";

    [Fact]
    public async Task Health_shows_each_checks_status_and_own_description_but_never_an_exception_message_or_type()
    {
        var failure = new InvalidOperationException(Secret);
        var report = new HealthReport(new Dictionary<string, HealthReportEntry>
        {
            ["self"] = new(HealthStatus.Healthy, "Answers.", TimeSpan.FromMilliseconds(1), null, null),
            ["registry"] = new(HealthStatus.Unhealthy, "Registry does not answer.", TimeSpan.FromMilliseconds(2), failure, null),
            // What the health check service records for a check that throws: the exception's message as description.
            ["postgres"] = new(HealthStatus.Unhealthy, Secret, TimeSpan.FromMilliseconds(3), failure, null),
        }, TimeSpan.FromMilliseconds(6));

        var json = await WriteAsync(report);

        Assert.DoesNotContain("10.1.2.3", json, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("Unhealthy", document.RootElement.GetProperty("status").GetString());
        var checks = document.RootElement.GetProperty("checks");
        Assert.Equal(("Healthy", "Answers."), Entry(checks, "self"));
        Assert.Equal(("Unhealthy", "Registry does not answer."), Entry(checks, "registry"));
        Assert.Equal(("Unhealthy", null), Entry(checks, "postgres"));
        Assert.All(checks.EnumerateObject(), check =>
            Assert.Equal(["status", "description", "durationMs"], check.Value.EnumerateObject().Select(p => p.Name)));
    }

    private static (string? Status, string? Description) Entry(JsonElement checks, string name) =>
        (checks.GetProperty(name).GetProperty("status").GetString(), checks.GetProperty(name).GetProperty("description").GetString());

    private static async Task<string> WriteAsync(HealthReport report)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await HealthReportWriter.WriteJson(context, report);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }
}
