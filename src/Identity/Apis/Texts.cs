namespace Procexon.Identity.Apis;

/// <summary>The login pages' texts: <c>Texts.resx</c> (English) and <c>Texts.fi.resx</c> (Finnish) beside this file.</summary>
public sealed class Texts;
