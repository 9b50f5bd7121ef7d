namespace Procexon.ServiceDefaults.Problems;

/// <summary>
/// One page of a list that grows without end (the inbox, the disclosure log, the holds across subjects): pages are
/// numbered from 1, and a page holds at most <see cref="MaxSize"/> items, so no call reads a whole table.
/// </summary>
public readonly record struct Paging(int Number, int Size)
{
    public const int DefaultSize = 25;
    public const int MaxSize = 100;

    public int Skip => (Number - 1) * Size;

    /// <summary>
    /// The page asked for, defaulting to the first of <see cref="DefaultSize"/>; what is wrong goes into
    /// <paramref name="errors"/> under <c>page</c> and <c>pageSize</c>, in the words of the items listed.
    /// </summary>
    public static Paging Of(int? page, int? pageSize, string items, IDictionary<string, string[]> errors)
    {
        var paging = new Paging(page ?? 1, pageSize ?? DefaultSize);
        if (paging.Number < 1)
        {
            errors["page"] = ["Pages are numbered from 1."];
        }

        if (paging.Size is < 1 or > MaxSize)
        {
            errors["pageSize"] = [$"Give 1 to {MaxSize} {items} a page."];
        }

        return paging;
    }
}
