using System.Text.Json;

namespace Procexon.Registry.Notice;

/// <summary>
/// What the privacy notice says that the catalogue does not hold: the controller, the contact person, dates, the fixed
/// paragraphs and headings in both languages, and how the notice names the recipients (embedded <c>notice.json</c>).
/// The registers, purposes, legal bases, categories, sources, retention, recipients and transfers come from the catalogue.
/// </summary>
public sealed record NoticeContent(
    ControllerDetails Controller,
    ContactPersonDetails ContactPerson,
    DateOnly Written,
    DateOnly LastChanged,
    LocalizedText Title,
    IReadOnlyList<LocalizedText> Introduction,
    LocalizedText Dated,
    IReadOnlyList<LocalizedText> Headings,
    RegistersTexts Registers,
    IReadOnlyList<LegalBasisTexts> LegalBases,
    PurposesTexts Purposes,
    DataContentTexts DataContent,
    SourcesTexts Sources,
    DisclosuresTexts Disclosures,
    IReadOnlyList<LocalizedText> Security,
    IReadOnlyList<LocalizedText> Access,
    OtherRightsTexts OtherRights,
    IReadOnlyList<NoticeRecipient> Recipients,
    IReadOnlyDictionary<string, LocalizedText> DataSubjects)
{
    /// <summary>The notice has the seed's ten numbered sections.</summary>
    public const int SectionCount = 10;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly Lazy<NoticeContent> s_embedded = new(LoadEmbedded);

    /// <summary>The embedded <c>notice.json</c>, read once.</summary>
    public static NoticeContent Embedded => s_embedded.Value;

    public static NoticeContent Parse(Stream json)
    {
        var content = JsonSerializer.Deserialize<NoticeContent>(json, s_json)
            ?? throw new InvalidOperationException("notice.json is empty.");
        content.Validate();
        return content;
    }

    public LegalBasisTexts? LegalBasis(string code) => LegalBases.FirstOrDefault(b => b.Code == code);

    public NoticeRecipient? Recipient(string slug) => Recipients.FirstOrDefault(r => r.Slug == slug);

    private static NoticeContent LoadEmbedded()
    {
        using var stream = typeof(NoticeContent).Assembly.GetManifestResourceStream("notice.json")
            ?? throw new InvalidOperationException("The embedded notice.json is missing.");
        return Parse(stream);
    }

    private void Validate()
    {
        if (Headings.Count != SectionCount)
        {
            throw new InvalidOperationException($"notice.json has {Headings.Count} headings; the notice has {SectionCount} sections.");
        }

        var unknown = Purposes.Order.Where(code => LegalBasis(code) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"notice.json orders purposes by unknown legal bases: {string.Join(", ", unknown)}.");
        }

        var misplaced = Recipients.Where(r => r.ListedUnder is not (6 or 7)).Select(r => r.Slug).ToList();
        if (misplaced.Count > 0)
        {
            throw new InvalidOperationException($"notice.json lists recipients under a section other than 6 or 7: {string.Join(", ", misplaced)}.");
        }
    }
}

public sealed record ControllerDetails(string Name, string Address, string Website, LocalizedText OtherContacts);

public sealed record ContactPersonDetails(string Name, string Email, LocalizedText Phone);

public sealed record RegistersTexts(LocalizedText Intro, LocalizedText Closing);

/// <summary>A legal basis as the notice words it: in the list of bases (4), as a group of purposes (4), as a retention principle (5).</summary>
public sealed record LegalBasisTexts(
    string Code,
    LocalizedText Name,
    LocalizedText Basis,
    LocalizedText PurposesHeading,
    LocalizedText? PurposesIntro,
    LocalizedText Retention);

/// <summary>Section 4's fixed paragraphs; <see cref="Order"/> is the order of the purpose groups (the seed's).</summary>
public sealed record PurposesTexts(
    LocalizedText BasesIntro,
    LocalizedText PurposesIntro,
    IReadOnlyList<string> Order,
    LocalizedText MainPurpose,
    LocalizedText AutomatedDecisionMaking,
    LocalizedText Proportionality);

public sealed record DataContentTexts(
    LocalizedText Subheading,
    LocalizedText DataSubjects,
    LocalizedText Intro,
    LocalizedText RetentionIntro,
    LocalizedText RegisterRetentionSubheading);

public sealed record SourcesTexts(
    LocalizedText Subheading,
    LocalizedText Intro,
    LocalizedText RecipientsSubheading,
    LocalizedText RecipientsIntro);

/// <summary>Section 7's fixed texts; <c>{registers}</c> in a text is replaced by the names of the registers it concerns.</summary>
public sealed record DisclosuresTexts(
    LocalizedText Intro,
    LocalizedText OtherLawfulCases,
    LocalizedText Processors,
    LocalizedText Publication,
    LocalizedText TransfersSubheading,
    LocalizedText NoTransfers,
    LocalizedText TransfersPossible,
    LocalizedText AppliesToAll,
    LocalizedText AppliesTo,
    LocalizedText NotTransferred);

public sealed record OtherRightsTexts(
    IReadOnlyList<LocalizedText> Paragraphs,
    LocalizedText ErasureSubheading,
    LocalizedText ErasureIntro,
    IReadOnlyList<LocalizedText> Closing);

/// <summary>
/// How the notice names a recipient the catalogue refers to by slug: a short name for the record of processing and
/// the notice's own wording, listed under section 6 (recipients) or 7 (regular disclosures).
/// </summary>
public sealed record NoticeRecipient(string Slug, int ListedUnder, LocalizedText Name, LocalizedText Text);
