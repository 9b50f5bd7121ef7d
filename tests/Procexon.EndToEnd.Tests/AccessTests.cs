using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// Who may reach what (DESIGN §10), through the gateway and straight at a service: no token, a bad token and a
/// too-weak role are refused with problem+json; the public routes answer anyone.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AccessTests(PlatformFixture platform)
{
    public static TheoryData<string> Tampered => new()
    {
        "forged-signature", "alg-none", "expired", "wrong-audience", "wrong-issuer", "garbage",
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public async Task A_tampered_token_is_refused_401_at_the_gateway_and_at_the_service(string how)
    {
        var token = Tamper(await platform.StaffTokenAsync(), how);

        foreach (var resource in new[] { "gateway", "registry", "rightsrequests", "retention", "disclosurelog" })
        {
            using var client = new HttpClient { BaseAddress = platform.App.GetEndpoint(resource, "http") };
            var path = resource switch
            {
                "rightsrequests" => "/api/requests",
                "retention" => "/api/retention/rules",
                "disclosurelog" => "/api/recipients",
                _ => "/api/registers",
            };
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{resource} {path} with a {how} token answered {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_same_token_untampered_is_accepted_so_the_refusals_above_are_the_tampering()
    {
        var token = await platform.StaffTokenAsync();
        using var client = new HttpClient { BaseAddress = platform.App.GetEndpoint("registry", "http") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/registers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_the_api_answers_401_problem_and_the_public_routes_answer()
    {
        // A path that does not exist is not told apart from one that does: closed like the rest.
        foreach (var path in new[] { "/api/subjects/searches", "/api/requests", "/api/retention/holds", "/api/disclosures", "/api/registers", "/no/such/thing" })
        {
            using var response = await platform.Anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {path} without a token answered {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using (var demo = await platform.Anonymous.PostAsJsonAsync("/api/subjects/demo-data", new { subjects = 1 }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
        }

        using (var form = await platform.Anonymous.GetAsync(new Uri("/requests/new", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        }

        using (var notice = await platform.Anonymous.GetAsync(new Uri("/api/registers/notice?lang=fi", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, notice.StatusCode);
        }

        using (var discovery = await platform.Anonymous.GetAsync(new Uri("/.well-known/openid-configuration", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        }

        using var received = await platform.Anonymous.PostAsJsonAsync("/api/requests",
            new { type = "access", subject = new { email = $"public-{Guid.NewGuid():N}@example.fi" }, channel = "web-form" });
        Assert.Equal(HttpStatusCode.Created, received.StatusCode);
    }

    [Fact]
    public async Task A_processor_token_reaches_its_notices_and_nothing_of_staff()
    {
        var processor = await platform.GatewayAs("processor:accounting-firm");
        using (var notices = await processor.GetAsync(new Uri("/api/disclosures/notifications", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, notices.StatusCode);
        }

        foreach (var path in new[] { "/api/registers", "/api/requests", "/api/subjects/searches", "/api/disclosures" })
        {
            using var response = await processor.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"GET {path} as a processor answered {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task An_auditor_reads_but_cannot_act()
    {
        var auditor = await platform.GatewayAs("auditor");
        using (var catalogue = await auditor.GetAsync(new Uri("/api/registers", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, catalogue.StatusCode);
        }

        using (var requests = await auditor.GetAsync(new Uri("/api/requests", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, requests.StatusCode);
        }

        using var sweep = await auditor.PostAsync(new Uri("/api/retention/sweeps", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, sweep.StatusCode);
        Assert.Equal("application/problem+json", sweep.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_a_mebibyte_is_refused_413_before_anything_reads_it()
    {
        var details = new string('x', 2 * 1024 * 1024);
        using var response = await platform.Anonymous.PostAsJsonAsync("/api/requests",
            new { type = "access", subject = new { email = "big@example.fi" }, channel = "web-form", details });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task The_api_reference_signs_in_with_the_code_flow_and_pkce_at_the_platforms_provider()
    {
        var gateway = platform.App.GetEndpoint("gateway", "http");
        using (var document = JsonDocument.Parse(await platform.Anonymous.GetStringAsync(new Uri("/openapi/rightsrequests.json", UriKind.Relative))))
        {
            var flow = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2")
                .GetProperty("flows").GetProperty("authorizationCode");
            Assert.Equal(new Uri(gateway, "/connect/authorize"), new Uri(flow.GetProperty("authorizationUrl").GetString()!));
            Assert.Equal(new Uri(gateway, "/connect/token"), new Uri(flow.GetProperty("tokenUrl").GetString()!));
        }

        using (var reference = await platform.Anonymous.GetAsync(new Uri("/scalar/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
            var html = await reference.Content.ReadAsStringAsync();
            Assert.True(html.Contains("connect/authorize", StringComparison.Ordinal) && html.Contains("\"scalar\"", StringComparison.Ordinal), html);
        }

        // The reference's client is registered with its redirect: the provider asks the person to sign in.
        var verifier = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var challenge = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = $"/connect/authorize?client_id=scalar&response_type=code&scope=openid%20api&state=s1"
            + $"&redirect_uri={Uri.EscapeDataString(new Uri(gateway, "/scalar/").AbsoluteUri)}&code_challenge={challenge}&code_challenge_method=S256";
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = gateway };
        using var response = await noRedirects.GetAsync(new Uri(authorize, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"authorize answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>What an attacker can do to a token without the provider's private key.</summary>
    private static string Tamper(string token, string how)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Decode(parts[1]))!.AsObject();
        string WithPayload(Action<JsonObject> change)
        {
            change(payload);
            return $"{parts[0]}.{Encode(payload.ToJsonString())}.{parts[2]}";
        }

        return how switch
        {
            "forged-signature" => $"{parts[0]}.{parts[1]}.{new string([.. parts[2].Reverse()])}",
            "alg-none" => $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.",
            "expired" => WithPayload(p => p["exp"] = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds()),
            "wrong-audience" => WithPayload(p => p["aud"] = "someone-else"),
            "wrong-issuer" => WithPayload(p => p["iss"] = "https://issuer.invalid/"),
            _ => "not-a-token",
        };
    }

    private static string Decode(string part) => Encoding.UTF8.GetString(Convert.FromBase64String(Pad(part)));

    private static string Pad(string part)
    {
        var base64 = part.Replace('-', '+').Replace('_', '/');
        return base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
    }

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
