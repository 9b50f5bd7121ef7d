using System.Globalization;

namespace Procexon.Bench;

/// <summary>The small benches' options (<c>--name N</c>); the erasure bench validates its own in <see cref="BenchOptions"/>.</summary>
internal static class BenchArguments
{
    public static int Int(string[] args, string name, int fallback) =>
        Text(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static string Text(string[] args, string name, string fallback) => Text(args, name) ?? fallback;

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
