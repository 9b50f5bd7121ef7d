namespace Procexon.Registry.Model;

/// <summary>What merging a duplicate into a subject does to the identifiers: either the union, or the field in conflict.</summary>
public sealed record MergeOfIdentifiers(string? ConflictField, IReadOnlyList<string> Taken, string? CustomerNumberAlias);

/// <summary>
/// The rule for uniting two subjects' identifiers (pure). The surviving subject keeps what it has and takes what it
/// lacks. Two different identity codes, e-mails, phones or business IDs mean the two may not be one person — or one
/// value is stale — which staff settle by rectifying first, so they are a conflict. Two customer numbers are the very
/// case a merge is for (one person, two accounts): the survivor keeps its own and the duplicate's stays findable as
/// an alias.
/// </summary>
public static class SubjectMerging
{
    public static MergeOfIdentifiers Unite(Subject into, Subject duplicate)
    {
        foreach (var (field, a, b) in new[]
        {
            ("hetu", into.Hetu, duplicate.Hetu),
            ("email", into.Email, duplicate.Email),
            ("phone", into.Phone, duplicate.Phone),
            ("businessId", into.BusinessId, duplicate.BusinessId),
        })
        {
            if (a is not null && b is not null && !string.Equals(a, b, StringComparison.Ordinal))
            {
                return new MergeOfIdentifiers(field, [], null);
            }
        }

        var taken = new List<string>();
        into.Name = Take("name", into.Name, duplicate.Name, taken);
        into.Hetu = Take("hetu", into.Hetu, duplicate.Hetu, taken);
        into.Email = Take("email", into.Email, duplicate.Email, taken);
        into.Phone = Take("phone", into.Phone, duplicate.Phone, taken);
        into.BusinessId = Take("businessId", into.BusinessId, duplicate.BusinessId, taken);
        string? alias = null;
        if (into.CustomerNumber is not null && duplicate.CustomerNumber is not null
            && !string.Equals(into.CustomerNumber, duplicate.CustomerNumber, StringComparison.Ordinal))
        {
            alias = duplicate.CustomerNumber;
            taken.Add("customerNumber (alias)");
        }
        else
        {
            into.CustomerNumber = Take("customerNumber", into.CustomerNumber, duplicate.CustomerNumber, taken);
        }

        return new MergeOfIdentifiers(null, taken, alias);
    }

    private static string? Take(string field, string? mine, string? theirs, List<string> taken)
    {
        if (mine is null && theirs is not null)
        {
            taken.Add(field);
            return theirs;
        }

        return mine;
    }
}
