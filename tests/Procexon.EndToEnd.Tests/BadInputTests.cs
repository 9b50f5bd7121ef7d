using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;
using Xunit.Abstractions;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// Over a thousand bad requests, generated from the services' OpenAPI documents, sent through the gateway by a member of
/// staff who may call every operation: malformed JSON, wrong content types, empty, huge and deeply nested bodies, every
/// property of a body set to a value of the wrong type, an unknown enum value, an overlong string or odd Unicode, and
/// path and query values that are invalid or name nothing. None may fail the server (5xx) or drop the connection, every
/// 4xx must be problem+json, and no row of any service's table may be added, removed or changed.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BadInputTests(PlatformFixture platform, ITestOutputHelper output)
{
    private static readonly string[] s_services = ["registry", "rightsrequests", "retention", "disclosurelog"];
    private static readonly string[] s_databases = ["registrydb", "rightsrequestsdb", "retentiondb", "disclosurelogdb", "accountingfirmdb"];

    // Tables that change without any request: the messaging bookkeeping of flows still settling from earlier tests.
    private static readonly HashSet<string> s_bookkeeping = ["inbox_messages", "outbox_messages", "__EFMigrationsHistory"];

    private static readonly string[] s_malformedJson =
    [
        "{", "}", "{\"a\":", "[", "nul", "{\"a\":1,}", "{'a':'b'}", "\"a string\"", "123", "[]", "null", "true",
        "{\"a\":\"unterminated}", "\u00ef\u00bb\u00bf{}", "{\"a\":NaN}", "{\"a\":01}", "{\"a\":\"\\x41\"}", "{\"a\" \"b\"}",
    ];

    // Wrong for any property: of the wrong type, far too long, or with control characters no field takes.
    private static readonly JsonNode?[] s_badValues =
    [
        JsonValue.Create(-12345), JsonValue.Create(-1.5e300), JsonValue.Create(true), new JsonArray(), new JsonObject(), null,
        JsonValue.Create(new string('x', 100_000)),
        JsonValue.Create("\u0000\u0001\u0007"),
    ];

    // Wrong as an identifier, a date, an enum value or an id, though a free-text field may take them: sent for every
    // property at once, where at least the identifiers, dates and enum values refuse them.
    private static readonly JsonNode?[] s_oddStrings =
    [
        JsonValue.Create("not-a-known-value"),
        JsonValue.Create("\u202etxt.exe\u200b\u200d\ufeff"),
        JsonValue.Create(string.Concat(Enumerable.Repeat("😀", 2000))),
        JsonValue.Create("Z\u0336\u0335a\u0337l\u0338g\u0334o\u0335\u0336\u0337"),
        JsonValue.Create("'; DROP TABLE subjects; --"),
        JsonValue.Create("=HYPERLINK(\"http://x\")"),
        JsonValue.Create("9999-99-99"),
        JsonValue.Create("00000000-0000-0000-0000-000000000000"),
    ];

    private static readonly string[] s_badIds =
    [
        "not-a-guid", "00000000-0000-0000-0000-000000000000", "%00", "..%2F..%2Fetc%2Fpasswd", new string('a', 3000), "%F0%9F%98%80",
        "1%20OR%201%3D1", "-1",
    ];

    private static readonly string[] s_badQueries =
    [
        "status=not-a-status", "type=erasure%00", "from=not-a-date&to=2020-13-45", "page=-1&pageSize=100000000", "lang=xx&format=exe",
        "asOf=yesterday", "identifier=" + new string('9', 5000), "email=%FF%FE", "hetu=131052-308T' OR '1'='1", "requestId=nope",
    ];

    [Fact]
    public async Task A_thousand_bad_inputs_get_problem_details_and_change_no_row()
    {
        var cases = await GenerateCasesAsync();
        Assert.True(cases.Count >= 1000, $"Only {cases.Count} bad inputs were generated.");

        var before = await QuietRowCountsAsync();
        var wrong = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        foreach (var bad in cases)
        {
            using var request = bad.Build();
            HttpResponseMessage response;
            try
            {
                response = await platform.Gateway.SendAsync(request);
            }
            catch (HttpRequestException ex)
            {
                wrong.Add($"{bad.Describe()}: connection dropped ({ex.Message})");
                continue;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (status >= 500)
                {
                    wrong.Add($"{bad.Describe()}: {status} {Truncate(await response.Content.ReadAsStringAsync())}");
                }
                else if (status >= 400 && mediaType != "application/problem+json" && !bad.RefusedByHttp(status))
                {
                    wrong.Add($"{bad.Describe()}: {status} as {mediaType ?? "no content type"}");
                }
                else if (status < 400 && bad.Method != HttpMethod.Get)
                {
                    wrong.Add($"{bad.Describe()}: accepted with {status}");
                }
                else if (mediaType == "application/problem+json" && ProblemFault(await response.Content.ReadAsStringAsync(), status) is { } fault)
                {
                    wrong.Add($"{bad.Describe()}: {status} {fault}");
                }
            }
        }

        var after = await QuietRowCountsAsync();
        var changed = before.Where(t => after.GetValueOrDefault(t.Key) != t.Value).Select(t => $"{t.Key}: {t.Value} → {after.GetValueOrDefault(t.Key)}")
            .Concat(after.Keys.Except(before.Keys).Select(t => $"{t}: new table"))
            .ToList();
        output.WriteLine($"{cases.Count} bad inputs; answers: {string.Join(", ", statuses.Select(s => $"{s.Value}× {s.Key}"))}");

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} bad inputs were mishandled:\n{string.Join('\n', wrong.Take(60))}");
        Assert.True(changed.Count == 0, $"Bad inputs changed rows:\n{string.Join('\n', changed)}");
    }

    /// <summary>What makes a problem body not an RFC 9457 object: bad JSON, a member twice (an extension named like a standard one), a wrong status.</summary>
    private static string? ProblemFault(string body, int status)
    {
        try
        {
            using var problem = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
            return problem.RootElement.ValueKind != JsonValueKind.Object ? "problem is not a JSON object"
                : problem.RootElement.TryGetProperty("status", out var s) && s.TryGetInt32(out var said) && said != status ? $"problem says status {said}"
                : null;
        }
        catch (JsonException ex)
        {
            return $"problem is not valid JSON ({ex.Message}): {Truncate(body)}";
        }
    }

    private sealed record BadRequest(HttpMethod Method, string Path, string? ContentType, byte[]? Body, string What)
    {
        public HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(Method, Path);
            // Kestrel answers 413 from the Content-Length alone and closes the connection rather than read megabytes it
            // will refuse; a client that asks before sending (Expect: 100-continue) reads the 413 instead of a reset.
            request.Headers.ExpectContinue = Body is { Length: > 1024 * 1024 };
            if (Body is not null)
            {
                request.Content = new ByteArrayContent(Body);
                if (ContentType is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
                }
            }

            return request;
        }

        /// <summary>
        /// Kestrel refuses a NUL in the request target itself, with an empty 400, before any application code (ours or
        /// the gateway's) sees the request: the one 4xx that cannot be problem+json.
        /// </summary>
        public bool RefusedByHttp(int status) => status == 400 && Path.Contains("%00", StringComparison.Ordinal);

        public string Describe() => $"{Method} {Truncate(Path, 120)} [{What}]";
    }

    private async Task<List<BadRequest>> GenerateCasesAsync()
    {
        var cases = new List<BadRequest>();
        foreach (var service in s_services)
        {
            using var document = JsonDocument.Parse(await platform.Gateway.GetStringAsync(new Uri($"/openapi/{service}.json", UriKind.Relative)));
            var schemas = document.RootElement.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var s)
                ? s : default;
            foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
                {
                    var method = new HttpMethod(operation.Name.ToUpperInvariant());
                    cases.AddRange(PathCases(method, path.Name));
                    if (method == HttpMethod.Get)
                    {
                        var target = Fill(path.Name);
                        cases.AddRange(s_badQueries.Select(q => new BadRequest(method, $"{target}?{q}", null, null, $"query {Truncate(q, 40)}")));
                        continue;
                    }

                    // An operation without a body (a sweep, a code request) ignores one: nothing to get wrong there.
                    if (RequestSchema(operation.Value, schemas) is { } schema)
                    {
                        cases.AddRange(BodyCases(method, Fill(path.Name), schema, schemas));
                    }
                }
            }
        }

        return cases;
    }

    /// <summary>A path's parameters filled with values that exist where that matters (a register) and ids that do not.</summary>
    private static string Fill(string template) => template
        .Replace("{register}", "customers", StringComparison.Ordinal)
        .Replace("{recipient}", "accounting-firm", StringComparison.Ordinal)
        .Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{messageId}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

    private static IEnumerable<BadRequest> PathCases(HttpMethod method, string template)
    {
        foreach (var parameter in new[] { "{id}", "{register}", "{recipient}", "{messageId}" }.Where(p => template.Contains(p, StringComparison.Ordinal)))
        {
            foreach (var bad in s_badIds.Append("no-such-" + parameter.Trim('{', '}')))
            {
                var path = Fill(template.Replace(parameter, bad, StringComparison.Ordinal));
                yield return new BadRequest(method, path, method == HttpMethod.Get ? null : "application/json",
                    method == HttpMethod.Get ? null : "{}"u8.ToArray(), $"{parameter} = {Truncate(bad, 30)}");
            }
        }
    }

    private static IEnumerable<BadRequest> BodyCases(HttpMethod method, string path, JsonElement schema, JsonElement schemas)
    {
        BadRequest Json(string body, string what) => new(method, path, "application/json", Encoding.UTF8.GetBytes(body), what);

        foreach (var malformed in s_malformedJson)
        {
            yield return Json(malformed, $"malformed {Truncate(malformed, 20)}");
        }

        yield return new BadRequest(method, path, "text/plain", "{}"u8.ToArray(), "text/plain");
        yield return new BadRequest(method, path, "application/xml", "<request/>"u8.ToArray(), "xml");
        yield return new BadRequest(method, path, "application/x-www-form-urlencoded", "a=b&c=d"u8.ToArray(), "form");
        yield return new BadRequest(method, path, "multipart/form-data; boundary=x", "--x\r\n\r\n--x--"u8.ToArray(), "multipart");
        yield return new BadRequest(method, path, null, "{}"u8.ToArray(), "no content type");
        yield return new BadRequest(method, path, "application/json", [], "empty body");
        yield return new BadRequest(method, path, "application/json", [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], "UTF-16 bytes as UTF-8");
        yield return Json("{\"a\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", "2 MiB body");
        yield return Json(string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000)), "arrays nested 10 000 deep");
        yield return Json(string.Concat(Enumerable.Repeat("{\"a\":", 2_000)) + "1" + string.Concat(Enumerable.Repeat("}", 2_000)), "objects nested 2 000 deep");

        var properties = Properties(schema);
        foreach (var property in properties)
        {
            foreach (var (value, i) in s_badValues.Select((v, i) => (v, i)))
            {
                var body = new JsonObject { [property] = value?.DeepClone() };
                yield return Json(body.ToJsonString(), $"{property} = bad value #{i}");
            }

            // A lone surrogate, escaped: valid JSON text, but no valid string.
            yield return Json($"{{\"{property}\":\"\\ud800\"}}", $"{property} = lone surrogate");
        }

        // Every property bad at once, one kind of bad value at a time.
        foreach (var (value, i) in s_badValues.Concat(s_oddStrings).Select((v, i) => (v, i)))
        {
            var body = new JsonObject();
            foreach (var property in properties.Append("unknownProperty"))
            {
                body[property] = value?.DeepClone();
            }

            yield return Json(body.ToJsonString(), $"every property = bad value #{i}");
        }
    }

    private static JsonElement? RequestSchema(JsonElement operation, JsonElement schemas) =>
        operation.TryGetProperty("requestBody", out var body)
        && body.TryGetProperty("content", out var content)
        && content.EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.Ordinal)).Value is { ValueKind: JsonValueKind.Object } json
        && json.TryGetProperty("schema", out var schema)
            ? Resolve(schema, schemas)
            : null;

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference) && schemas.ValueKind == JsonValueKind.Object
            && schemas.TryGetProperty(reference.GetString()!.Split('/')[^1], out var resolved)
            ? resolved
            : schema;

    private static List<string> Properties(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) ? [.. properties.EnumerateObject().Select(p => p.Name)] : [];

    /// <summary>Row counts and content digests of every table of every service database, once the platform has stopped moving.</summary>
    private async Task<Dictionary<string, string>> QuietRowCountsAsync()
    {
        var previous = await RowCountsAsync();
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var current = await RowCountsAsync();
            if (current.Count == previous.Count && current.All(c => previous.GetValueOrDefault(c.Key) == c.Value))
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    private async Task<Dictionary<string, string>> RowCountsAsync()
    {
        var counts = new Dictionary<string, string>();
        foreach (var database in s_databases)
        {
            await using var connection = new Npgsql.NpgsqlConnection(await platform.App.GetConnectionStringAsync(database));
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = new Npgsql.NpgsqlCommand(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables.Where(t => !s_bookkeeping.Contains(t)))
            {
                // The rows' content as well as their number: an update changes the digest.
                await using var digest = new Npgsql.NpgsqlCommand(
                    $"SELECT count(*)::text || ' rows, ' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '-') FROM \"{table}\" t", connection);
                counts[$"{database}.{table}"] = (string)(await digest.ExecuteScalarAsync())!;
            }
        }

        return counts;
    }

    private static string Truncate(string text, int length = 300) => text.Length <= length ? text : text[..length] + "…";
}
