using Procexon.Registry.Model;
using Procexon.Registry.Notice;

namespace Procexon.Registry.Tests.Notice;

/// <summary>The notice the product generates from a catalogue (the seed's by default), and its sections as normalised text (<see cref="NoticeText"/>).</summary>
internal static class GeneratedNotice
{
    public static PrivacyNotice Compose(string language, List<Register>? catalogue = null) =>
        PrivacyNoticeComposer.Compose(catalogue ?? SeedCatalogue.Registers(), NoticeContent.Embedded, language);

    /// <summary>The heading and every block of the section, normalised as the seed is.</summary>
    public static string Text(this NoticeSection section) => NoticeText.Normalise(string.Join('\n',
        section.Blocks.SelectMany(Texts).Prepend(section.Heading)));

    public static IReadOnlyList<string> Bullets(this NoticeSection section) =>
        [.. section.Blocks.OfType<NoticeBulletList>().SelectMany(l => l.Items)];

    public static NoticeSection Section(this PrivacyNotice notice, int number) => notice.Sections.Single(s => s.Number == number);

    private static IEnumerable<string> Texts(NoticeBlock block) => block switch
    {
        NoticeSubheading subheading => [subheading.Text],
        NoticeParagraph paragraph => [paragraph.Text],
        NoticeBulletList list => list.Items,
        _ => throw new NotSupportedException(block.GetType().Name),
    };
}
