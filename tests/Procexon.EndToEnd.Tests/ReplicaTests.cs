using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The platform with every service twice (<c>--Replicas=2</c>), two processes of each competing on its queues and
/// sharing its outbox, over a broker of three clustered nodes (<c>--Broker:Nodes=3</c>, Debian's RabbitMQ, which the
/// cluster needs in any mode), as the README's first command starts it with both options.
/// </summary>
public sealed class ReplicatedPlatformFixture : PlatformFixture
{
    private static readonly System.Globalization.CultureInfo s_invariant = System.Globalization.CultureInfo.InvariantCulture;

    protected override IEnumerable<string> MoreArguments =>
    [
        "Replicas=2",
        "Infrastructure:Mode=executable",
        "Broker:Nodes=3",
        $"Broker:Ports:0={Procexon.Testing.FreePort.Next().ToString(s_invariant)}:{Procexon.Testing.FreePort.Next().ToString(s_invariant)}",
        $"Broker:Ports:1={Procexon.Testing.FreePort.Next().ToString(s_invariant)}:{Procexon.Testing.FreePort.Next().ToString(s_invariant)}",
    ];
}

[CollectionDefinition(Name)]
public sealed class ReplicatedPlatformCollection : ICollectionFixture<ReplicatedPlatformFixture>
{
    public const string Name = "The platform with two replicas of each service over a three-node broker";
}

/// <summary>
/// Replicas (issue 16): with two processes of each service the erasure flow completes as with one, and killing one
/// replica of the Registry and one of the disclosure log while erasures are in flight loses nothing: the other
/// replica takes over their queues and outboxes, and every register's erasure is applied once. A member of staff
/// signed in to the console stays signed in when every console process that saw the sign-in is gone.
/// </summary>
[Collection(ReplicatedPlatformCollection.Name)]
public sealed class ReplicaTests(ReplicatedPlatformFixture platform, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] s_replicated = ["registry", "rightsrequests", "retention", "disclosurelog", "identity", "console"];

    [Fact]
    public async Task Each_service_runs_two_replicas_and_thirty_erasures_survive_killing_one_of_the_registry_and_one_of_the_disclosure_log()
    {
        var replicas = await RunningReplicasAsync();
        foreach (var service in s_replicated)
        {
            Assert.True(replicas[service].Count == 2, $"{service} runs {replicas[service].Count} replicas, not 2. Its replicas' last log lines:\n"
                + string.Join('\n', platform.Logs.Lines.Where(l => l.Resource.StartsWith(service + "-", StringComparison.Ordinal)).TakeLast(40).Select(l => $"{l.Resource}: {l.Line}")));
        }

        var scenario = new ErasureScenario(platform);
        var requests = await scenario.PrepareErasureRequestsAsync(30);

        // Ten verified and fanning out when one process of each of the two is killed; twenty more after, which only the
        // surviving replicas can carry (counting completions first would give the fan-out time to finish).
        await Task.WhenAll(requests.Take(10).Select(VerifyAsync));
        await scenario.KillAsync(replicas["registry"][0]);
        await scenario.KillAsync(replicas["disclosurelog"][0]);
        await Task.WhenAll(requests.Skip(10).Select(VerifyAsync));
        var verifiedAtKill = 10;

        await scenario.AllCompleteAsync(requests, "one replica of the registry and of the disclosure log", verifiedAtKill);
        output.WriteLine($"Killed {replicas["registry"][0]} and {replicas["disclosurelog"][0]} with {verifiedAtKill}/30 verified; all 30 completed.");
        await scenario.AssertErasedOnceAsync(requests);
    }

    [Fact]
    public async Task Each_replica_of_the_identity_provider_issues_tokens_that_every_service_accepts()
    {
        var replicas = (await RunningReplicasAsync())["identity"];
        Assert.True(replicas.Count == 2, $"The identity provider runs {replicas.Count} replicas, not 2.");
        var secret = await platform.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(p => p.Name == "identity-client-dev-privacy-officer-secret").GetValueAsync(CancellationToken.None);

        var issuers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var replica in replicas)
        {
            // Asked of the replica itself, not through the gateway's balancing: each replica signs with the key ring
            // both share, and names the same issuer.
            Assert.True(platform.App.ResourceNotifications.TryGetCurrentState(replica, out var state), $"No resource {replica}.");
            var address = state.Snapshot.Urls.First(u => u.Name == "http" && !u.IsInternal).Url;
            using var provider = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/") };
            using var issued = await Procexon.Testing.ClientCredentials.RequestAsync(provider, "dev-privacy-officer", secret!);
            Assert.True(issued.IsSuccessStatusCode, $"{replica} refused the client: {(int)issued.StatusCode} {await issued.Content.ReadAsStringAsync()}");
            using var token = System.Text.Json.JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
            var accessToken = token.RootElement.GetProperty("access_token").GetString()!;
            issuers.Add(new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(accessToken).Issuer);

            // Accepted at the gateway and by the services behind it (each validates again), whichever replica signed it.
            foreach (var path in new[] { "/api/requests", "/api/registers", "/api/disclosures/log", "/api/retention/rules" })
            {
                using var call = new HttpRequestMessage(HttpMethod.Get, path);
                call.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
                using var answer = await platform.Anonymous.SendAsync(call);
                Assert.True(answer.StatusCode == System.Net.HttpStatusCode.OK, $"{path} with a token of {replica}: {(int)answer.StatusCode}");
            }
        }

        Assert.Single(issuers);
    }

    [Fact]
    public async Task Staff_stay_signed_in_and_work_on_when_every_console_replica_that_saw_the_sign_in_is_gone()
    {
        var consoles = (await RunningReplicasAsync())["console"];
        Assert.True(consoles.Count == 2, $"The console runs {consoles.Count} replicas, not 2.");
        var path = (await new ErasureScenario(platform).PrepareErasureRequestsAsync(1)).Single();
        var gateway = platform.App.GetEndpoint("gateway", "http");

        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await Procexon.Testing.Pages.LaunchChromiumAsync(playwright);
        var page = await chromium.NewPageAsync(new() { Locale = "fi-FI" });
        await ConsoleSignIn.WithPasswordAsync(page, gateway, "customer-service", await platform.PasswordOfAsync("customer-service"));
        await ConsoleSignIn.BackAtConsoleAsync(page);
        await page.GotoAsync(new Uri(gateway, path.Replace("/api/", "/", StringComparison.Ordinal)).AbsoluteUri);
        // The first page of replicas just started (every path cold, in a Debug build): more time than a page of a warm
        // console needs, once timed out at 20 s in a CI run; the failure says what the page showed.
        try
        {
            await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Tunnista pyytäjä" }), TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Signed in, the request's page at {page.Url} did not show its verification within 60 s: {await page.InnerTextAsync("body")}");
        }

        // One replica killed and started again (a fresh process, which never saw the sign-in), then the other killed:
        // the only console left knows the session from the database alone.
        var scenario = new ErasureScenario(platform);
        await scenario.KillAsync(consoles[0]);
        await StartAgainAsync(consoles[0]);
        await scenario.KillAsync(consoles[1]);
        output.WriteLine($"Signed in, then killed {consoles[0]} (started again) and {consoles[1]}.");
        try
        {
            // The page's circuit died with its process: a reload (the first may meet a connection to the dead one)
            // brings the request back without the login page, and the page still acts with the user's token.
            Assert.True(await GatewayCalls.EventuallyAsync(async () =>
            {
                await page.ReloadAsync();
                try
                {
                    await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Tunnista pyytäjä" }), TimeSpan.FromSeconds(15));
                    return true;
                }
                catch (TimeoutException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(90)), $"After the console's replicas were replaced the page at {page.Url} shows: {await page.InnerTextAsync("body")}");
            Assert.DoesNotContain("/account/", page.Url, StringComparison.Ordinal);
            await page.Locator("#verify-method").ClickAsync();
            await page.Locator("fluent-option", new() { HasText = "henkilöstön tarkastama henkilöllisyystodistus" }).ClickAsync();
            await page.Locator("fluent-button", new() { HasText = "Merkitse tunnistetuksi" }).First.ClickAsync();
            await Visible(page.Locator("#request-status", new() { HasText = "Valmis" }), TimeSpan.FromSeconds(90));
        }
        finally
        {
            // Two replicas again for the collection's other tests.
            await StartAgainAsync(consoles[1]);
        }
    }

    [Fact]
    public async Task A_hundred_erasures_complete_once_each_and_the_api_keeps_answering_when_a_broker_node_dies_under_them()
    {
        var scenario = new ErasureScenario(platform);
        var requests = await scenario.PrepareErasureRequestsAsync(100);
        var probe = requests[0];

        // While it runs, a member of staff's reads go on: a request's status through the gateway every quarter second.
        using var stopProbing = new CancellationTokenSource();
        var answers = new System.Collections.Concurrent.ConcurrentBag<int>();
        var probing = Task.Run(async () =>
        {
            while (!stopProbing.IsCancellationRequested)
            {
                using var status = await platform.Gateway.GetAsync(probe, CancellationToken.None);
                answers.Add((int)status.StatusCode);
                await Task.Delay(250, CancellationToken.None);
            }
        }, CancellationToken.None);

        // A third verified and fanning out when the first node (the one every connection string names, leading some
        // of the quorum queues) dies; the rest verified while the cluster has two nodes.
        await Task.WhenAll(requests.Take(33).Select(VerifyAsync));
        var completedAtKill = await scenario.CountCompletedAsync(requests);
        await scenario.KillAsync("messaging");
        await Task.WhenAll(requests.Skip(33).Select(VerifyAsync));

        await scenario.AllCompleteAsync(requests, "messaging (one of three nodes)", completedAtKill);
        await stopProbing.CancelAsync();
        await probing;
        output.WriteLine($"Killed node messaging with {completedAtKill}/100 completed; all 100 completed; {answers.Count} status reads, all {string.Join(", ", answers.Distinct())}.");
        await scenario.AssertErasedOnceAsync(requests);
        Assert.All(answers, status => Assert.Equal(200, status));
    }

    private static async Task Visible(ILocator locator, TimeSpan? timeout = null) =>
        await locator.First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = (float)(timeout ?? TimeSpan.FromSeconds(20)).TotalMilliseconds });

    /// <summary>Starts a killed replica again and waits until that process (by its own id) is running and healthy.</summary>
    private async Task StartAgainAsync(string replica)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await platform.App.ResourceCommands.ExecuteCommandAsync(replica, KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(result.Success, $"Starting {replica} again failed: {result.Message}");
        await foreach (var e in platform.App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (e.ResourceId == replica && e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
            {
                return;
            }
        }
    }

    private async Task VerifyAsync(string path)
    {
        using var verified = await platform.Gateway.PostAsJsonAsync($"{path}/verification", new { method = "staff-known-contact" });
        Assert.Equal(System.Net.HttpStatusCode.OK, verified.StatusCode);
    }

    /// <summary>The running processes of each replicated service, by resource id (e.g. <c>registry-abcd1234</c>).</summary>
    private async Task<Dictionary<string, List<string>>> RunningReplicasAsync()
    {
        var running = s_replicated.ToDictionary(s => s, _ => new HashSet<string>());
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var resource in platform.App.ResourceNotifications.WatchAsync(enough.Token))
            {
                if (running.TryGetValue(resource.Resource.Name, out var ids) && resource.Snapshot.State?.Text == KnownResourceStates.Running)
                {
                    ids.Add(resource.ResourceId);
                }

                if (running.Values.All(ids => ids.Count >= 2))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Fewer than two of some service: the assertion above says which.
        }

        return running.ToDictionary(r => r.Key, r => r.Value.Order(StringComparer.Ordinal).ToList());
    }
}
