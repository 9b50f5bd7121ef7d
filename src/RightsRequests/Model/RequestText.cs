using System.Text.Json;

namespace Procexon.RightsRequests.Model;

/// <summary>How the API spells the service's enums: kebab case (<c>awaiting-verification</c>, <c>staff-id-document</c>).</summary>
public static class RequestText
{
    public static string Kebab<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>The enum value spelled <paramref name="text"/> (trimmed, any case), or null.</summary>
    public static TEnum? Parse<TEnum>(string? text) where TEnum : struct, Enum
    {
        var wanted = text?.Trim();
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (Kebab(value).Equals(wanted, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    public static IEnumerable<string> All<TEnum>() where TEnum : struct, Enum => Enum.GetValues<TEnum>().Select(Kebab);
}
