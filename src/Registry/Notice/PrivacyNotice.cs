using System.Text.Json.Serialization;

namespace Procexon.Registry.Notice;

/// <summary>The privacy notice (GDPR Art 13/14) in one language, ready to render: a title, an introduction and ten sections.</summary>
public sealed record PrivacyNotice(
    string Language,
    string Title,
    IReadOnlyList<string> Introduction,
    string Dated,
    DateOnly Written,
    DateOnly LastChanged,
    IReadOnlyList<NoticeSection> Sections);

public sealed record NoticeSection(int Number, string Heading, IReadOnlyList<NoticeBlock> Blocks);

/// <summary>One block of a section, in reading order: a subheading, a paragraph or a bullet list. Text is plain, never markup.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(NoticeSubheading), "subheading")]
[JsonDerivedType(typeof(NoticeParagraph), "paragraph")]
[JsonDerivedType(typeof(NoticeBulletList), "bullets")]
public abstract record NoticeBlock;

public sealed record NoticeSubheading(string Text) : NoticeBlock;

public sealed record NoticeParagraph(string Text) : NoticeBlock;

public sealed record NoticeBulletList(IReadOnlyList<string> Items) : NoticeBlock;
