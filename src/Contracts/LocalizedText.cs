namespace Procexon.Contracts;

/// <summary>A text the platform shows in both of its languages: Finnish (the notice's original) and English.</summary>
public sealed record LocalizedText(string Fi, string En)
{
    public string In(string language) => language.Equals("en", StringComparison.OrdinalIgnoreCase) ? En : Fi;
}
