using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// Erasures prepared through the gateway (a subject in three registers, one of them keeping its records under law), a
/// resource killed or restarted under them, and the checks that every request completed with each register's erasure
/// applied once: shared by the survival tests and the replicas' tests.
/// </summary>
public sealed class ErasureScenario(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromMinutes(3);

    public async Task AllCompleteAsync(List<string> requests, string resource, int completedAtKill)
    {
        var deadline = DateTime.UtcNow + s_completion;
        var completed = 0;
        while (DateTime.UtcNow < deadline && (completed = await CountCompletedAsync(requests)) < requests.Count)
        {
            await Task.Delay(500);
        }

        Assert.True(completed == requests.Count,
            $"{completed} of {requests.Count} erasure requests completed within {s_completion.TotalMinutes} min of restarting {resource} ({completedAtKill} had completed when it was killed). " +
            $"Still awaited: {await StillAwaitedAsync(requests)}. Outboxes: {await OutboxBacklogAsync()}");
        Assert.True(completedAtKill < requests.Count, $"All requests had completed before {resource} was killed: the test proved nothing.");
    }

    public async Task AssertErasedOnceAsync(List<string> requests)
    {
        foreach (var path in requests)
        {
            using var status = await GetJsonAsync(path);
            var registers = status.RootElement.GetProperty("registers").EnumerateArray().ToDictionary(r => r.GetProperty("register").GetString()!);
            // Exactly once: a second application would have found nothing left and answered "not-held" with 0 erased.
            Assert.Equal("erased", registers["customers"].GetProperty("outcome").GetString());
            Assert.Equal(2, registers["customers"].GetProperty("recordsErased").GetInt32());
            Assert.Equal(2, registers["customers"].GetProperty("recordsAffected").GetInt32());
            Assert.Equal("erased", registers["marketing"].GetProperty("outcome").GetString());
            Assert.Equal(1, registers["marketing"].GetProperty("recordsErased").GetInt32());
            Assert.Equal("retained-under-law", registers["accounting-payroll"].GetProperty("outcome").GetString());
            Assert.Equal(1, Assert.Single(registers["accounting-payroll"].GetProperty("retained").EnumerateArray()).GetProperty("records").GetInt32());
            Assert.Equal(7, registers.Values.Count(r => r.GetProperty("outcome").GetString() == "not-held"));
        }
    }

    /// <summary>What the unfinished requests still wait for, counted, so a failure says which step never came.</summary>
    private async Task<string> StillAwaitedAsync(IEnumerable<string> requests)
    {
        var awaited = new Dictionary<string, int>();
        foreach (var path in requests)
        {
            // An unfinished request's answer is a 409 naming what it still waits for.
            using var response = await platform.Gateway.GetAsync($"{path}/answer?lang=en");
            if (response.StatusCode != HttpStatusCode.Conflict)
            {
                continue;
            }

            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var item in problem.RootElement.GetProperty("awaiting").EnumerateArray())
            {
                var text = item.GetString()!;
                awaited[text] = awaited.GetValueOrDefault(text) + 1;
            }
        }

        return string.Join("; ", awaited.Select(a => $"{a.Value}× {a.Key}"));
    }

    /// <summary>Events each service has committed but not yet had confirmed by the broker: where a stalled flow stopped.</summary>
    private async Task<string> OutboxBacklogAsync()
    {
        var backlog = new List<string>();
        foreach (var database in new[] { "rightsrequestsdb", "registrydb", "disclosurelogdb", "retentiondb", "accountingfirmdb" })
        {
            try
            {
                backlog.Add(await OutboxBacklogOfAsync(database));
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or ArgumentException)
            {
                backlog.Add($"{database} unreadable ({ex.Message})");
            }
        }

        return string.Join("; ", backlog);
    }

    private async Task<string> OutboxBacklogOfAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(await platform.App.GetConnectionStringAsync(database));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT count(*), coalesce(max(attempts), 0), coalesce(max(last_error), '') FROM outbox_messages", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"{database} {reader.GetInt64(0)} rows (max attempts {reader.GetInt32(1)}{(reader.GetString(2) is { Length: > 0 } error ? $", last error: {error}" : "")})";
    }

    public async Task<List<string>> PrepareErasureRequestsAsync(int count)
    {
        var paths = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            var email = $"survivor-{Guid.NewGuid():N}@example.fi";
            using var subject = await platform.Gateway.PostAsJsonAsync("/api/subjects", new { email, name = $"Survivor {i}" }, cancellationToken);
            Assert.Equal(HttpStatusCode.Created, subject.StatusCode);
            using var created = JsonDocument.Parse(await subject.Content.ReadAsStringAsync(cancellationToken));
            var subjectId = created.RootElement.GetProperty("id").GetGuid();
            foreach (var (register, category) in new[] { ("customers", "basic-data"), ("customers", "customer-contract"), ("marketing", "direct-marketing"), ("accounting-payroll", "accounting-material") })
            {
                using var record = await platform.Gateway.PostAsJsonAsync($"/api/registers/{register}/records", new { subjectId, category, fields = new { n = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } }, cancellationToken);
                Assert.Equal(HttpStatusCode.Created, record.StatusCode);
            }

            using var request = await platform.Gateway.PostAsJsonAsync("/api/requests", new { type = "erasure", subject = new { email }, channel = "letter" }, cancellationToken);
            Assert.Equal(HttpStatusCode.Created, request.StatusCode);
            paths.Add(request.Headers.Location!.OriginalString);
        });
        return [.. paths];
    }

    /// <summary>SIGKILL to the resource's whole process tree, as a crash or an OOM kill would do it.</summary>
    public async Task KillAsync(string resource)
    {
        Assert.True(platform.App.ResourceNotifications.TryGetCurrentState(resource, out var state), $"No resource {resource}.");
        var pid = state.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value;
        using var process = Process.GetProcessById(Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        // Watched by the process's own resource id: waiting by name would wait for every replica of a replicated service.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in platform.App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            // A single process is named by its resource's name; one replica of several by its own id.
            if ((e.ResourceId == resource || e.Resource.Name == resource) && e.Snapshot.State?.Text != KnownResourceStates.Running)
            {
                break;
            }
        }
    }

    public async Task RestartAsync(string resource)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await platform.App.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(result.Success, $"Starting {resource} again failed: {result.Message}");
        try
        {
            // Right after the command the resource's last state can still be the one the kill left (exited): waiting
            // with the default behaviour gave up at once, "failed to start", while the server was starting (seen in CI).
            await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Say why: the resource's own last words, not only that it never became healthy.
            var last = platform.Logs.Lines.Where(l => l.Resource.StartsWith(resource, StringComparison.Ordinal)).TakeLast(60);
            Assert.Fail($"{resource} was not healthy 2 min after its restart. Its last log lines:\n{string.Join('\n', last.Select(l => l.Line))}");
        }
    }

    public async Task<int> CountCompletedAsync(IEnumerable<string> requests)
    {
        var completed = 0;
        foreach (var path in requests)
        {
            using var status = await GetJsonAsync(path);
            if (status.RootElement.GetProperty("status").GetString() == "completed")
            {
                completed++;
            }
        }

        return completed;
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await platform.Gateway.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }
}
