using System.Net;
using System.Text;
using System.Text.Json;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// Every operation of every service's OpenAPI document, called through the gateway by every kind of caller: anonymous,
/// each staff role, and two processors. The expected callers are written here from DESIGN §10, apart from the code
/// that enforces them; an operation missing from this table fails the test, so a new route has to be given its
/// callers here and a policy in its service before it can ship.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RoleMatrixTests(PlatformFixture platform)
{
    private const string Anonymous = "anonymous";
    private const string ProcessorA = "processor:accounting-firm";
    private const string ProcessorB = "processor:website-it-company";
    private const string Po = "privacy-officer";
    private const string Cs = "customer-service";
    private const string Ra = "register-admin";
    private const string Au = "auditor";

    private static readonly string[] s_callers = [Anonymous, Po, Cs, Ra, Au, ProcessorA, ProcessorB];
    private static readonly string[] s_everyone = s_callers;
    private static readonly string[] s_catalogue = [Po, Cs, Ra, Au];
    private static readonly string[] s_subjects = [Po, Cs, Ra];
    private static readonly string[] s_readRequests = [Po, Cs, Au];
    private static readonly string[] s_handleRequests = [Po, Cs];
    private static readonly string[] s_auditTrail = [Po, Au];
    private static readonly string[] s_retention = [Po, Ra, Au];
    private static readonly string[] s_disclosures = [Po, Au];
    private static readonly string[] s_noticeLists = [Po, Au, ProcessorA, ProcessorB];
    private static readonly string[] s_confirmations = [Po, ProcessorA, ProcessorB];

    private static readonly Dictionary<string, string[]> s_allowed = new()
    {
        ["GET /api/registers"] = s_catalogue,
        ["GET /api/registers/{register}"] = s_catalogue,
        ["POST /api/registers"] = [Ra],
        ["PUT /api/registers/{register}"] = [Ra],
        ["GET /api/registers/{register}/versions"] = s_catalogue,
        ["GET /api/registers/{register}/versions/{version}"] = s_catalogue,
        ["GET /api/registers/record-of-processing"] = s_catalogue,
        ["GET /api/registers/notice"] = s_everyone,
        ["POST /api/registers/{register}/records"] = [Ra],
        ["GET /api/registers/{register}/records/{id}"] = s_subjects,
        ["PATCH /api/registers/{register}/records/{id}"] = [Ra],
        ["POST /api/subjects"] = [Ra],
        ["POST /api/subjects/search"] = s_subjects,
        ["GET /api/subjects/searches"] = s_auditTrail,
        ["GET /api/subjects/{id}"] = s_subjects,
        ["GET /api/subjects/{id}/records"] = s_subjects,
        ["POST /api/subjects/{id}/merge"] = [Ra],
        ["GET /api/subjects/{id}/merges"] = s_subjects,
        ["POST /api/subjects/{id}/identifier-corrections"] = [Ra],
        ["GET /api/subjects/{id}/identifier-corrections"] = s_subjects,
        ["POST /api/subjects/demo-data"] = [Ra],
        ["POST /api/requests"] = s_everyone,
        ["GET /api/requests"] = s_readRequests,
        ["GET /api/requests/{id}"] = s_readRequests,
        ["POST /api/requests/{id}/verification-code"] = s_everyone,
        ["POST /api/requests/{id}/verification"] = s_everyone,
        ["GET /api/requests/{id}/answer"] = s_handleRequests,
        ["GET /api/requests/{id}/export"] = [Po],
        ["POST /api/requests/{id}/extension"] = [Po],
        ["POST /api/requests/{id}/refusal"] = [Po],
        ["PUT /api/requests/{id}/particulars"] = s_handleRequests,
        ["POST /api/requests/{id}/objection-decision"] = [Po],
        ["POST /api/requests/{id}/restriction-lifting"] = [Po],
        ["GET /api/requests/{id}/restriction-lifting"] = s_readRequests,
        ["GET /api/requests/{id}/audit"] = s_auditTrail,
        ["GET /api/requests/audit-export"] = s_auditTrail,
        ["GET /api/requests/due-soon"] = s_readRequests,
        ["GET /api/requests/overdue"] = s_readRequests,
        ["GET /api/requests/inbox"] = s_readRequests,
        ["GET /api/retention/rules"] = s_retention,
        ["GET /api/retention/rules/{id}"] = s_retention,
        ["GET /api/retention/holds"] = s_retention,
        ["GET /api/retention/holds/schedule"] = s_retention,
        ["GET /api/retention/holds/{id}"] = s_retention,
        ["POST /api/retention/sweeps"] = [Ra],
        ["POST /api/retention/legal-holds"] = [Po],
        ["POST /api/retention/legal-holds/{id}/lifting"] = [Po],
        ["GET /api/retention/legal-holds"] = s_retention,
        ["GET /api/retention/legal-holds/log"] = s_retention,
        ["GET /api/retention/legal-holds/{id}"] = s_retention,
        ["GET /api/recipients"] = s_disclosures,
        ["GET /api/recipients/{recipient}"] = s_disclosures,
        ["PUT /api/recipients/{recipient}/channel"] = [Po],
        ["POST /api/recipients/{recipient}/webhook-secret"] = [Po],
        ["GET /api/recipients/{recipient}/channel-changes"] = s_disclosures,
        ["POST /api/disclosures"] = [Po, Ra],
        ["GET /api/disclosures"] = s_disclosures,
        ["GET /api/disclosures/log"] = s_disclosures,
        ["GET /api/disclosures/{id}"] = s_disclosures,
        ["GET /api/disclosures/notifications"] = s_noticeLists,
        ["POST /api/disclosures/notifications/{id}/confirmation"] = s_confirmations,
        // An e-mail recipient's one-time link: anyone holding the mail's token (DESIGN §12).
        ["GET /api/disclosures/notifications/{id}/confirmation-link"] = s_everyone,
        ["POST /api/disclosures/notifications/{id}/confirmation-link"] = s_everyone,
        ["GET /api/rectification-notifications"] = s_noticeLists,
        ["POST /api/rectification-notifications/{id}/confirmation"] = s_confirmations,
        ["GET /api/restriction-notifications"] = s_noticeLists,
        ["POST /api/restriction-notifications/{id}/confirmation"] = s_confirmations,
        ["GET /api/webhooks/schemas"] = s_everyone,
        ["GET /api/webhooks/schemas/{type}"] = s_everyone,
        ["GET /api/operations/registry/error-messages"] = [Po],
        ["POST /api/operations/registry/error-messages/{messageId}/replay"] = [Po],
        ["GET /api/operations/rightsrequests/error-messages"] = [Po],
        ["POST /api/operations/rightsrequests/error-messages/{messageId}/replay"] = [Po],
        ["GET /api/operations/retention/error-messages"] = [Po],
        ["POST /api/operations/retention/error-messages/{messageId}/replay"] = [Po],
        ["GET /api/operations/disclosurelog/error-messages"] = [Po],
        ["POST /api/operations/disclosurelog/error-messages/{messageId}/replay"] = [Po],
    };

    [Fact]
    public async Task Every_operation_answers_each_caller_as_design_section_10_says()
    {
        var operations = new List<string>();
        foreach (var service in new[] { "registry", "rightsrequests", "retention", "disclosurelog" })
        {
            using var document = JsonDocument.Parse(await platform.Anonymous.GetStringAsync(new Uri($"/openapi/{service}.json", UriKind.Relative)));
            foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
            {
                operations.AddRange(path.Value.EnumerateObject()
                    .Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete")
                    .Select(o => $"{o.Name.ToUpperInvariant()} {path.Name}"));
            }
        }

        var unknown = operations.Except(s_allowed.Keys).ToList();
        Assert.True(unknown.Count == 0, $"Operations nobody has said who may call: {string.Join("; ", unknown)}");
        Assert.True(operations.Count >= 45, $"Only {operations.Count} operations in the OpenAPI documents.");

        var clients = new Dictionary<string, HttpClient> { [Anonymous] = platform.Anonymous };
        foreach (var caller in s_callers.Where(c => c != Anonymous))
        {
            clients[caller] = await platform.GatewayAs(caller);
        }

        var wrong = new List<string>();
        foreach (var operation in operations)
        {
            var (method, template) = (operation[..operation.IndexOf(' ', StringComparison.Ordinal)], operation[(operation.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            var path = template.Replace("{register}", "customers", StringComparison.Ordinal)
                .Replace("{recipient}", "accounting-firm", StringComparison.Ordinal)
                .Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace("{messageId}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
            foreach (var caller in s_callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method != "GET")
                {
                    // An empty body: a caller who may call is told what is missing (400, 404, 409), never let through
                    // to a change; one who may not is refused before the body is read.
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                using var response = await clients[caller].SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = response.StatusCode;
                var allowed = s_allowed[operation].Contains(caller);
                var refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                var gatewayMissed = status == HttpStatusCode.NotFound && body.Contains("The API lives under /api/", StringComparison.Ordinal);
                var expected = !allowed ? (caller == Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden) : (HttpStatusCode?)null;
                if (gatewayMissed || (allowed && refused) || (!allowed && status != expected)
                    || (refused && response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
                {
                    wrong.Add($"{operation} as {caller}: {(int)status}{(allowed ? " (should be let through)" : $" (should be {(int)expected!})")}");
                }
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} answers differ from DESIGN §10:\n{string.Join('\n', wrong)}");
    }
}
