using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Writes a health report as JSON, one entry per check with its status and own description, so an operator sees which
/// dependency failed. Never an exception's message or type: <c>/health</c> answers anyone, and those name hosts, users
/// and internals; they belong in the logs.
/// </summary>
public static class HealthReportWriter
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            totalDurationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    status = entry.Value.Status.ToString(),
                    description = OwnDescription(entry.Value),
                    durationMs = entry.Value.Duration.TotalMilliseconds,
                }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, s_json, context.RequestAborted);
    }

    /// <summary>
    /// The check's description, unless it carries the exception's message: a check that throws gets that message as
    /// its description from the health check service.
    /// </summary>
    private static string? OwnDescription(HealthReportEntry entry) =>
        entry.Exception is { Message.Length: > 0 } exception
        && entry.Description?.Contains(exception.Message, StringComparison.Ordinal) == true
            ? null
            : entry.Description;
}
