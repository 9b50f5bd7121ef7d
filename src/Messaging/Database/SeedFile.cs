using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Procexon.Messaging.Database;

/// <summary>
/// A service's reference data as the privacy notice gives it (registers, recipients, retention rules): a JSON file
/// embedded in the service's assembly, checked when read, and added to the database only where its key is missing, so
/// what staff edited after the first start survives every later start.
/// </summary>
public static class SeedFile
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>The embedded file's array, in its order.</summary>
    public static async Task<List<TSeed>> ReadAsync<TSeed>(Assembly assembly, string resource, CancellationToken cancellationToken)
    {
        await using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded {resource} is missing.");
        return await JsonSerializer.DeserializeAsync<List<TSeed>>(stream, s_json, cancellationToken)
            ?? throw new InvalidOperationException($"{resource} is empty.");
    }

    /// <summary>
    /// Refuses to start on a value the code does not know (a role, channel or legal basis the API filters on would hide
    /// the entry; a category disclosures are checked against would refuse them): every misspelling named at once.
    /// </summary>
    public static void RequireKnown<TSeed>(string resource, string what, IEnumerable<TSeed> seeds, Func<TSeed, IEnumerable<(string Entry, string Value)>> valuesOf, Func<string, bool> isKnown)
    {
        var unknown = seeds.SelectMany(valuesOf).Where(v => !isKnown(v.Value)).Select(v => $"{v.Entry}: {v.Value}").ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"{resource} has unknown {what} ({string.Join("; ", unknown)}).");
        }
    }

    /// <summary>Adds each seed whose key is not yet among <paramref name="existingKeys"/>, with its position in the file (from 1).</summary>
    public static async Task AddMissingAsync<TSeed, TKey>(
        IReadOnlyList<TSeed> seeds, IQueryable<TKey> existingKeys, Func<TSeed, TKey> keyOf, Action<TSeed, int> add, CancellationToken cancellationToken)
    {
        var existing = (await existingKeys.ToListAsync(cancellationToken)).ToHashSet();
        for (var index = 0; index < seeds.Count; index++)
        {
            if (!existing.Contains(keyOf(seeds[index])))
            {
                add(seeds[index], index + 1);
            }
        }
    }
}
