using System.Globalization;
using Procexon.Console.Apis;

namespace Procexon.Console.Components.Registers;

/// <summary>One field that differs between two versions of a register: its path as the API names fields, what was, what is.</summary>
/// <param name="Was">Null when the field was not there (a purpose added).</param>
/// <param name="Is">Null when the field is no longer there (a purpose removed).</param>
public sealed record FieldChange(string Field, string? Was, string? Is)
{
    /// <summary>The top-level field (<c>purposes</c> of <c>purposes[1].text.fi</c>), which the page names in words.</summary>
    public string Top => Field.IndexOfAny(['.', '[']) is var end and >= 0 ? Field[..end] : Field;
}

/// <summary>
/// The difference between two versions of a register's description, field by field, in the order the catalogue
/// lists the fields. Texts are compared per language; purposes by their place; data categories and sources by their
/// code; lists of slugs (legal bases, retention rules, recipients) as one field each.
/// </summary>
public static class RegisterDiff
{
    public static IReadOnlyList<FieldChange> Between(RegisterDescription older, RegisterDescription newer)
    {
        var was = Fields(older);
        var now = Fields(newer);
        var before = was.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
        var after = now.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);

        // Every path of either version once, in the newer one's order, then what only the older one had.
        var paths = now.Select(f => f.Field).Concat(was.Select(f => f.Field).Where(p => !after.ContainsKey(p)));
        return
        [
            .. paths
                .Select(path => new FieldChange(path, before.GetValueOrDefault(path), after.GetValueOrDefault(path)))
                .Where(change => !string.Equals(change.Was, change.Is, StringComparison.Ordinal)),
        ];
    }

    /// <summary>The description as (path, value) pairs, each path as the API's problems name it.</summary>
    public static IReadOnlyList<(string Field, string Value)> Fields(RegisterDescription register)
    {
        var fields = new List<(string, string)>();
        Text(fields, "name", register.Name);
        Text(fields, "description", register.Description);
        for (var i = 0; i < register.Purposes.Count; i++)
        {
            fields.Add(($"purposes[{i}].legalBasis", register.Purposes[i].LegalBasis));
            Text(fields, $"purposes[{i}].text", register.Purposes[i].Text);
        }

        fields.Add(("legalBases", string.Join(", ", register.LegalBases)));
        foreach (var category in register.DataCategories)
        {
            Text(fields, $"dataCategories[{category.Code}].name", category.Name);
        }

        foreach (var source in register.Sources)
        {
            Text(fields, $"sources[{source.Code}].name", source.Name);
        }

        Text(fields, "retention", register.Retention);
        fields.Add(("retentionRules", string.Join(", ", register.RetentionRules)));
        fields.Add(("recipients", string.Join(", ", register.Recipients)));
        fields.Add(("transfersOutsideEuEea.possible", register.TransfersOutsideEuEea.Possible.ToString(CultureInfo.InvariantCulture).ToLowerInvariant()));
        if (register.TransfersOutsideEuEea.Safeguard is { } safeguard)
        {
            Text(fields, "transfersOutsideEuEea.safeguard", safeguard);
        }

        Text(fields, "onErasure", register.OnErasure);
        return fields;
    }

    private static void Text(List<(string, string)> fields, string path, LocalizedText text)
    {
        fields.Add(($"{path}.fi", text.Fi));
        fields.Add(($"{path}.en", text.En));
    }
}
