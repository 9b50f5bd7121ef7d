using System.Globalization;

namespace Procexon.Registry.Notice;

/// <summary>
/// Composes the privacy notice from the live catalogue and the notice's fixed texts. Everything a register says —
/// its name, purposes, legal bases, data categories, sources, retention, recipients, transfers, what erasure means —
/// comes from the catalogue, so an edit of a register shows in the next notice. Pure: no I/O, no clock.
/// </summary>
public static class PrivacyNoticeComposer
{
    public static IReadOnlyList<string> Languages { get; } = ["fi", "en"];

    /// <param name="catalogue">The registers; listed in <see cref="Register.Position"/> order.</param>
    /// <param name="content">The notice's fixed texts (<see cref="NoticeContent.Embedded"/>).</param>
    /// <param name="language"><c>fi</c> or <c>en</c>.</param>
    public static PrivacyNotice Compose(IEnumerable<Register> catalogue, NoticeContent content, string language)
    {
        if (!Languages.Contains(language))
        {
            throw new ArgumentOutOfRangeException(nameof(language), language, "The notice is written in fi or en.");
        }

        var registers = catalogue.OrderBy(r => r.Position).ToList();
        var lastChanged = LastChanged(registers, content);
        var dated = content.Dated.In(language)
            .Replace("{written}", FormatDate(content.Written, language), StringComparison.Ordinal)
            .Replace("{lastChanged}", FormatDate(lastChanged, language), StringComparison.Ordinal);

        var compose = new Composition(registers, content, language);
        NoticeBlock[][] sections =
        [
            compose.Controller(),
            compose.ContactPerson(),
            compose.Registers(),
            compose.LegalBasesAndPurposes(),
            compose.DataContent(),
            compose.SourcesAndRecipients(),
            compose.DisclosuresAndTransfers(),
            compose.Paragraphs(content.Security),
            compose.Paragraphs(content.Access),
            compose.OtherRights(),
        ];

        return new PrivacyNotice(
            language,
            content.Title.In(language),
            [.. content.Introduction.Select(p => p.In(language))],
            dated,
            content.Written,
            lastChanged,
            [.. sections.Select((blocks, i) => new NoticeSection(i + 1, content.Headings[i].In(language), blocks))]);
    }

    /// <summary>The notice changes when the catalogue does: the later of the notice text's date and the newest register edit (Finnish time).</summary>
    private static DateOnly LastChanged(List<Register> registers, NoticeContent content)
    {
        if (registers.Count == 0)
        {
            return content.LastChanged;
        }

        var zone = TimeZoneInfo.TryFindSystemTimeZoneById("Europe/Helsinki", out var helsinki) ? helsinki : TimeZoneInfo.Utc;
        var newest = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(registers.Max(r => r.UpdatedAt), zone).DateTime);
        return newest > content.LastChanged ? newest : content.LastChanged;
    }

    private static string FormatDate(DateOnly date, string language) => language == "en"
        ? date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)
        : date.ToString("d.M.yyyy", CultureInfo.InvariantCulture);

    private sealed class Composition(IReadOnlyList<Register> registers, NoticeContent content, string language)
    {
        private static readonly CultureInfo s_fi = CultureInfo.GetCultureInfo("fi-FI");

        private string T(LocalizedText text) => text.In(language);

        private string Name(Register register) => T(register.Description.Name);

        public NoticeBlock[] Controller() =>
        [
            new NoticeParagraph($"{content.Controller.Name}, {content.Controller.Address}"),
            new NoticeParagraph($"{T(content.Controller.OtherContacts)}: {content.Controller.Website}"),
        ];

        public NoticeBlock[] ContactPerson() =>
        [
            new NoticeParagraph(content.ContactPerson.Name),
            new NoticeParagraph($"{content.ContactPerson.Email}, {T(content.ContactPerson.Phone)}"),
        ];

        public NoticeBlock[] Registers() =>
        [
            new NoticeParagraph(T(content.Registers.Intro)),
            new NoticeBulletList([.. registers.Select(Name)]),
            new NoticeParagraph(T(content.Registers.Closing)),
        ];

        public NoticeBlock[] LegalBasesAndPurposes()
        {
            var used = registers
                .SelectMany(r => r.Description.LegalBases.Concat(r.Description.Purposes.Select(p => p.LegalBasis)))
                .ToHashSet(StringComparer.Ordinal);

            var blocks = new List<NoticeBlock>
            {
                new NoticeParagraph(T(content.Purposes.BasesIntro)),
                new NoticeBulletList([.. OrderBases(used, content.LegalBases.Select(b => b.Code)).Select(BasisText)]),
                new NoticeParagraph(T(content.Purposes.PurposesIntro)),
            };

            foreach (var basis in OrderBases(used, content.Purposes.Order))
            {
                var purposes = PurposesUnder(basis);
                if (purposes.Count == 0)
                {
                    continue;
                }

                var texts = content.LegalBasis(basis);
                blocks.Add(new NoticeSubheading(texts is null ? basis : T(texts.PurposesHeading)));
                if (texts?.PurposesIntro is { } intro)
                {
                    blocks.Add(new NoticeParagraph(T(intro)));
                }

                blocks.Add(new NoticeBulletList(purposes));
            }

            blocks.Add(new NoticeParagraph($"{T(content.Purposes.MainPurpose)} {T(content.Purposes.AutomatedDecisionMaking)}"));
            blocks.Add(new NoticeParagraph(T(content.Purposes.Proportionality)));
            return [.. blocks];
        }

        public NoticeBlock[] DataContent()
        {
            var categories = registers.SelectMany(r => r.Description.DataCategories).DistinctBy(c => c.Code).Select(c => T(c.Name));
            var bases = registers.SelectMany(r => r.Description.LegalBases).ToHashSet(StringComparer.Ordinal);
            var principles = OrderBases(bases, content.Purposes.Order)
                .Select(content.LegalBasis)
                .OfType<LegalBasisTexts>()
                .Select(b => T(b.Retention));

            return
            [
                new NoticeSubheading(T(content.DataContent.Subheading)),
                new NoticeParagraph(T(content.DataContent.DataSubjects)),
                new NoticeParagraph(T(content.DataContent.Intro)),
                new NoticeBulletList([.. categories]),
                new NoticeParagraph(T(content.DataContent.RetentionIntro)),
                new NoticeBulletList([.. principles]),
                new NoticeSubheading(T(content.DataContent.RegisterRetentionSubheading)),
                new NoticeBulletList([.. registers.Select(r => $"{Name(r)}: {T(r.Description.Retention)}")]),
            ];
        }

        public NoticeBlock[] SourcesAndRecipients()
        {
            var sources = registers.SelectMany(r => r.Description.Sources).DistinctBy(s => s.Code).Select(s => T(s.Name));
            return
            [
                new NoticeSubheading(T(content.Sources.Subheading)),
                new NoticeParagraph(T(content.Sources.Intro)),
                new NoticeBulletList([.. sources]),
                new NoticeSubheading(T(content.Sources.RecipientsSubheading)),
                new NoticeParagraph(T(content.Sources.RecipientsIntro)),
                new NoticeBulletList([.. RecipientsListedUnder(6)]),
            ];
        }

        public NoticeBlock[] DisclosuresAndTransfers()
        {
            var texts = content.Disclosures;
            var blocks = new List<NoticeBlock>
            {
                new NoticeParagraph(T(texts.Intro)),
                new NoticeBulletList([.. RecipientsListedUnder(7), T(texts.OtherLawfulCases)]),
                new NoticeParagraph(T(texts.Processors)),
                new NoticeParagraph(T(texts.Publication)),
                new NoticeSubheading(T(texts.TransfersSubheading)),
            };

            var transferring = registers.Where(r => r.Description.TransfersOutsideEuEea.Possible).ToList();
            if (transferring.Count == 0)
            {
                blocks.Add(new NoticeParagraph(T(texts.NoTransfers)));
                return [.. blocks];
            }

            // One paragraph per safeguard, saying which registers it covers.
            foreach (var group in transferring.GroupBy(r => r.Description.TransfersOutsideEuEea.Safeguard is { } s ? T(s) : T(texts.TransfersPossible)))
            {
                var scope = group.Count() == registers.Count
                    ? T(texts.AppliesToAll)
                    : WithRegisters(texts.AppliesTo, group);
                blocks.Add(new NoticeParagraph($"{group.Key} {scope}"));
            }

            var staying = registers.Where(r => !r.Description.TransfersOutsideEuEea.Possible).ToList();
            if (staying.Count > 0)
            {
                blocks.Add(new NoticeParagraph(WithRegisters(texts.NotTransferred, staying)));
            }

            return [.. blocks];
        }

        public NoticeBlock[] OtherRights()
        {
            var texts = content.OtherRights;
            return
            [
                .. Paragraphs(texts.Paragraphs),
                new NoticeSubheading(T(texts.ErasureSubheading)),
                new NoticeParagraph(T(texts.ErasureIntro)),
                new NoticeBulletList([.. registers.Select(r => $"{Name(r)}: {T(r.Description.OnErasure)}")]),
                .. Paragraphs(texts.Closing),
            ];
        }

        public NoticeBlock[] Paragraphs(IReadOnlyList<LocalizedText> paragraphs) => [.. paragraphs.Select(p => new NoticeParagraph(T(p)))];

        /// <summary>Each distinct purpose under the basis, in catalogue order, with the registers that process for it.</summary>
        private List<string> PurposesUnder(string basis) => registers
            .SelectMany(r => r.Description.Purposes.Where(p => p.LegalBasis == basis).Select(p => (Text: T(p.Text), Register: r)))
            .GroupBy(p => p.Text, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ({string.Join(", ", g.Select(p => p.Register).Distinct().Select(LowerFirst))})")
            .ToList();

        /// <summary>
        /// The recipients the catalogue names, in the notice's order; a slug the notice has no wording for is still
        /// listed (under section 6, by its slug) rather than hidden.
        /// </summary>
        private IEnumerable<string> RecipientsListedUnder(int section)
        {
            var named = registers.SelectMany(r => r.Description.Recipients).Distinct(StringComparer.Ordinal).ToList();
            var known = content.Recipients.Where(r => r.ListedUnder == section && named.Contains(r.Slug)).Select(r => T(r.Text));
            var unknown = section == 6 ? named.Where(slug => content.Recipient(slug) is null) : [];
            return known.Concat(unknown);
        }

        private string BasisText(string code) => content.LegalBasis(code) is { } basis ? T(basis.Basis) : code;

        /// <summary>The bases in use, in the given order; bases the notice has no wording for come last, as the catalogue names them.</summary>
        private static IEnumerable<string> OrderBases(IReadOnlySet<string> used, IEnumerable<string> order)
        {
            var ordered = order.Where(used.Contains).ToList();
            return ordered.Concat(used.Except(ordered).Order(StringComparer.Ordinal));
        }

        private string WithRegisters(LocalizedText template, IEnumerable<Register> concerned) =>
            T(template).Replace("{registers}", string.Join(", ", concerned.Select(LowerFirst)), StringComparison.Ordinal);

        /// <summary>A register's name inside a sentence: "Asiakasrekisteri" reads "asiakasrekisteri".</summary>
        private string LowerFirst(Register register)
        {
            var name = Name(register);
            var culture = language == "fi" ? s_fi : CultureInfo.InvariantCulture;
            return name.Length == 0 ? name : char.ToLower(name[0], culture) + name[1..];
        }
    }
}
