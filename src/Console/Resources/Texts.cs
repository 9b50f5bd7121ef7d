namespace Procexon.Console.Resources;

/// <summary>The console's texts: <c>Texts.resx</c> (English) and <c>Texts.fi.resx</c> (Finnish), one key each.</summary>
public sealed class Texts;
