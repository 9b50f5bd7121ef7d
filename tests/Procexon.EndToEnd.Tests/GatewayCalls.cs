using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Procexon.Testing;

namespace Procexon.EndToEnd.Tests;

/// <summary>The calls and checks every end-to-end test makes through the gateway, written once.</summary>
internal static class GatewayCalls
{
    public static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    public static async Task<Guid> CreateSubjectAsync(this HttpClient client, object subject)
    {
        using var response = await client.PostAsJsonAsync("/api/subjects", subject);
        await AssertStatusAsync(response, HttpStatusCode.Created);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return created.RootElement.GetProperty("id").GetGuid();
    }

    public static async Task<Guid> AddRecordAsync(
        this HttpClient client, string register, Guid subjectId, string category, Dictionary<string, string> fields, DateOnly? recordedOn = null)
    {
        using var response = await client.PostAsJsonAsync($"/api/registers/{register}/records", new { subjectId, category, fields, recordedOn });
        await AssertStatusAsync(response, HttpStatusCode.Created);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return created.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Polls a request until it is completed, and answers its last status.</summary>
    public static async Task<JsonDocument> WaitForCompletionAsync(this HttpClient client, string requestPath, TimeSpan timeout)
    {
        JsonDocument? status = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            status?.Dispose();
            status = await GetJsonAsync(client, requestPath);
            return status.RootElement.GetProperty("status").GetString() == "completed";
        }, timeout), $"The request did not complete within {timeout.TotalSeconds} s: {status?.RootElement.GetRawText()}");
        return status!;
    }

    public static async Task AssertStatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string mentioned)
    {
        await AssertStatusAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentioned, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout) =>
        Eventually.EventuallyAsync(condition, timeout, every: TimeSpan.FromMilliseconds(250));
}
