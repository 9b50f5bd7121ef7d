using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Catalogue;

/// <summary>
/// Each rule of an edit, broken on the email-archive register (legal bases contract, legitimate-interest and law;
/// one source): a 400 validation problem that names the field, and nothing written.
/// </summary>
[Collection(CatalogueCollection.Name)]
public sealed class CatalogueValidationTests(RegistryFixture fixture)
{
    private const string Register = "email-archive";

    private readonly CatalogueClient _catalogue = new(fixture);

    [Fact]
    public async Task Blank_or_missing_text_in_either_language_is_refused_naming_its_path()
    {
        var body = await ReadAsync();
        var purpose = body.Purposes![0]!;
        var category = body.DataCategories![2]!;
        var transfers = body.TransfersOutsideEuEea!;

        var errors = await RefusedAsync(body with
        {
            Name = body.Name! with { Fi = "" },
            Description = body.Description! with { En = "   " },
            Purposes = With(body.Purposes, 0, purpose with { Text = purpose.Text! with { Fi = null } }),
            DataCategories = With(body.DataCategories, 2, category with { Name = category.Name! with { En = "" } }),
            Sources = With(body.Sources!, 0, body.Sources![0]! with { Name = null }),
            Retention = null,
            OnErasure = body.OnErasure! with { Fi = "" },
            TransfersOutsideEuEea = transfers with { Safeguard = transfers.Safeguard! with { En = "" } },
        });

        AssertFields(errors,
            "name.fi", "description.en", "purposes[0].text.fi", "dataCategories[2].name.en", "sources[0].name",
            "retention", "onErasure.fi", "transfersOutsideEuEea.safeguard.en");
    }

    [Fact]
    public async Task Text_longer_than_4000_characters_is_refused_and_4000_is_accepted()
    {
        var body = await ReadAsync();

        var errors = await RefusedAsync(body with { Description = body.Description! with { Fi = new string('x', 4001) } });

        AssertFields(errors, "description.fi");
        Assert.Empty(Problems(body with { Description = body.Description! with { Fi = new string('x', 4000) } }));
    }

    [Fact]
    public async Task Unknown_legal_basis_is_refused()
    {
        var body = await ReadAsync();

        var errors = await RefusedAsync(body with
        {
            LegalBases = [.. body.LegalBases!, "vital-interests"],
            Purposes = With(body.Purposes!, 0, body.Purposes![0]! with { LegalBasis = "public-task" }),
        });

        AssertFields(errors, "legalBases[3]", "purposes[0].legalBasis");
        Assert.Contains("consent, contract, law, legitimate-interest", errors["legalBases[3]"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purpose_under_a_legal_basis_the_register_does_not_list_is_refused()
    {
        var body = await ReadAsync();

        // Purposes are contract, legitimate-interest and law, in that order.
        var errors = await RefusedAsync(body with
        {
            LegalBases = ["contract", "legitimate-interest"],
            Purposes = With(body.Purposes!, 1, body.Purposes![1]! with { LegalBasis = "consent" }),
        });

        AssertFields(errors, "purposes[1].legalBasis", "purposes[2].legalBasis");
    }

    [Fact]
    public async Task Unknown_data_category_is_refused()
    {
        var body = await ReadAsync();

        var errors = await RefusedAsync(body with
        {
            DataCategories = With(body.DataCategories!, 0, body.DataCategories![0]! with { Code = "health-data" }),
        });

        AssertFields(errors, "dataCategories[0].code");
    }

    [Fact]
    public async Task Unknown_source_is_refused_and_every_source_of_the_notice_is_accepted()
    {
        var body = await ReadAsync();
        var name = body.Sources![0]!.Name;

        var errors = await RefusedAsync(body with { Sources = [new CodedNameInput("facebook", name)] });

        AssertFields(errors, "sources[0].code");
        string[] notice =
        [
            "subject", "derived", "trade-register", "dvv", "suomen-asiakastieto", "fonecta", "other-service-providers",
            "employer-records",
        ];
        Assert.Empty(Problems(body with { Sources = [.. notice.Select(code => new CodedNameInput(code, name))] }));
    }

    [Fact]
    public async Task Recipient_that_is_not_a_lowercase_kebab_case_slug_is_refused()
    {
        var body = await ReadAsync();

        var errors = await RefusedAsync(body with
        {
            Recipients = ["Finago", "verkko24", "accounting--firm", "-auditor", "tilitoimisto oy", "staff"],
        });

        AssertFields(errors, "recipients[0]", "recipients[2]", "recipients[3]", "recipients[4]");
    }

    [Fact]
    public async Task Possible_transfer_outside_the_EU_EEA_without_a_safeguard_is_refused()
    {
        var body = await ReadAsync();

        var errors = await RefusedAsync(body with { TransfersOutsideEuEea = new TransferPolicyInput(true, null) });

        AssertFields(errors, "transfersOutsideEuEea.safeguard");
        AssertFields(Problems(body with { TransfersOutsideEuEea = new TransferPolicyInput(null, null) }), "transfersOutsideEuEea.possible");
        Assert.Empty(Problems(body with { TransfersOutsideEuEea = new TransferPolicyInput(false, null) }));
    }

    [Fact]
    public async Task Duplicate_codes_are_refused_where_they_repeat()
    {
        var body = await ReadAsync();

        var errors = await RefusedAsync(body with
        {
            LegalBases = [.. body.LegalBases!, "contract"],
            DataCategories = [.. body.DataCategories!, body.DataCategories![0]],
            Sources = [body.Sources![0], body.Sources[0]],
            Recipients = [.. body.Recipients!, "staff"],
            RetentionRules = [.. body.RetentionRules!, "email-archive"],
        });

        AssertFields(errors, "legalBases[3]", "dataCategories[4].code", "sources[1].code", "recipients[3]", "retentionRules[3]");
        Assert.Contains("listed twice (first at legalBases[0])", errors["legalBases[3]"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_without_why_or_the_version_read_is_refused()
    {
        var body = await ReadAsync();

        var missing = await RefusedAsync(body with { ChangeNote = null, ExpectedVersion = null });
        var tooLong = await RefusedAsync(body with
        {
            ChangeNote = new string('x', 2001),
            ExpectedVersion = 0,
        });

        AssertFields(missing, "changeNote", "expectedVersion");
        AssertFields(tooLong, "changeNote", "expectedVersion");
    }

    [Fact]
    public async Task Empty_or_missing_lists_are_refused_where_the_record_of_processing_needs_an_entry()
    {
        var body = await ReadAsync();

        var errors = await RefusedAsync(body with
        {
            Purposes = [],
            LegalBases = [],
            DataCategories = [],
            Sources = [],
            Recipients = null,
        });

        AssertFields(errors, "purposes", "legalBases", "dataCategories", "sources", "recipients");
        Assert.Empty(Problems(body with { Recipients = [], RetentionRules = [] }));
    }

    [Fact]
    public async Task A_null_entry_in_a_list_is_refused_naming_its_index()
    {
        var body = await ReadAsync();

        var errors = await RefusedAsync(body with { Purposes = With(body.Purposes!, 1, null), Recipients = [null, "staff"] });

        AssertFields(errors, "purposes[1]", "recipients[0]");
    }

    private async Task<EditRegisterBody> ReadAsync() => CatalogueClient.BodyFrom(await _catalogue.GetOkAsync(Register));

    /// <summary>Sends the edit, expects a 400 validation problem, and checks that no version was added.</summary>
    private async Task<IDictionary<string, string[]>> RefusedAsync(EditRegisterBody body)
    {
        var versionsBefore = (await _catalogue.VersionsOkAsync(Register)).Count;

        var problem = Assert.IsType<ValidationProblem>(await _catalogue.EditAsync(Register, body));

        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        Assert.Equal(versionsBefore, (await _catalogue.VersionsOkAsync(Register)).Count);
        return problem.ProblemDetails.Errors;
    }

    private static Dictionary<string, string[]> Problems(EditRegisterBody body)
    {
        var errors = new Dictionary<string, string[]>();
        body.Validate(TestUsers.RegisterAdminActor, errors);
        return errors;
    }

    private static void AssertFields(IDictionary<string, string[]> errors, params string[] fields) =>
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.Keys.Order(StringComparer.Ordinal));

    private static List<T?> With<T>(IReadOnlyList<T?> list, int index, T? value) where T : class =>
        [.. list.Select((item, i) => i == index ? value : item)];
}
