using Microsoft.Extensions.Options;
using Procexon.ServiceDefaults.Problems;

namespace Procexon.RightsRequests.Apis;

/// <summary>
/// The staff inbox: one page of requests, soonest due first, filtered by status, type, due date and deadline, with the
/// number of requests in each status under the same filters. Paged and counted in the database, so it answers as fast
/// for ten thousand requests as for ten.
/// </summary>
public static class RequestInboxApi
{
    /// <summary>The deadline marks: <c>overdue</c> (open, due before today) and <c>due-soon</c> (open, due within the next days).</summary>
    public const string Overdue = "overdue";
    public const string DueSoon = "due-soon";

    public static RouteGroupBuilder MapRequestInboxApi(this RouteGroupBuilder requests)
    {
        requests.MapGet("/inbox", ListInbox)
            .RequireAuthorization(Policies.ReadRequests)
            .WithName("ListInbox")
            .WithSummary("One page of requests, soonest due first: filter by status, type, due dates (dueFrom, dueTo: inclusive) and "
                + "deadline (overdue, due-soon); each request is marked overdue or due-soon, and the counts per status follow the same filters but status.");
        return requests;
    }

    public static async Task<Results<Ok<RequestInboxDto>, ValidationProblem>> ListInbox(
        [AsParameters] InboxQuery query, RightsRequestsContext db, TimeProvider clock, IOptions<RequestLifecycleOptions> options,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var status = query.Status is null ? null : RequestIntakeApi.Required<RequestStatus>(query.Status, "status", errors);
        var type = query.Type is null ? null : RequestIntakeApi.Required<RequestType>(query.Type, "type", errors);
        var deadline = query.Deadline?.Trim().ToLowerInvariant();
        if (deadline is not (null or Overdue or DueSoon))
        {
            errors["deadline"] = [$"Use {Overdue} or {DueSoon}."];
        }

        if (query.DueFrom is { } from && query.DueTo is { } to && to < from)
        {
            errors["dueTo"] = ["The last due day comes before the first."];
        }

        var paging = Paging.Of(query.Page, query.PageSize, "requests", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The inbox query is not valid.");
        }

        var today = RequestClock.Today(clock);
        var dueSoonUntil = today.AddDays(options.Value.DueSoonDays);
        var filtered = db.Requests.AsNoTracking();
        if (type is not null)
        {
            filtered = filtered.Where(r => r.Type == type);
        }

        if (query.DueFrom is { } first)
        {
            filtered = filtered.Where(r => r.DueOn >= first);
        }

        if (query.DueTo is { } last)
        {
            filtered = filtered.Where(r => r.DueOn <= last);
        }

        filtered = deadline switch
        {
            Overdue => filtered.Where(r => (r.Status == RequestStatus.AwaitingVerification || r.Status == RequestStatus.InProgress) && r.DueOn < today),
            DueSoon => filtered.Where(r => (r.Status == RequestStatus.AwaitingVerification || r.Status == RequestStatus.InProgress)
                && r.DueOn >= today && r.DueOn <= dueSoonUntil),
            _ => filtered,
        };

        var counts = await filtered.GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var listed = status is null ? filtered : filtered.Where(r => r.Status == status);
        var total = status is null ? counts.Sum(c => c.Count) : counts.Where(c => c.Status == status).Sum(c => c.Count);
        var requests = await listed.OrderBy(r => r.DueOn).ThenBy(r => r.ReceivedAt).ThenBy(r => r.Id)
            .Skip(paging.Skip).Take(paging.Size).ToListAsync(cancellationToken);

        return TypedResults.Ok(new RequestInboxDto(
            [.. requests.Select(r => new InboxItemDto(RequestSummaryDto.From(r), DeadlineOf(r, today, dueSoonUntil)))],
            paging.Number,
            paging.Size,
            total,
            Enum.GetValues<RequestStatus>().ToDictionary(RequestText.Kebab, s => counts.Where(c => c.Status == s).Sum(c => c.Count)),
            today));
    }

    private static string? DeadlineOf(RightsRequest request, DateOnly today, DateOnly dueSoonUntil) =>
        request.Status is not (RequestStatus.AwaitingVerification or RequestStatus.InProgress) ? null
        : request.DueOn < today ? Overdue
        : request.DueOn <= dueSoonUntil ? DueSoon
        : null;
}

/// <summary>The inbox's query string; every part optional (page 1 of 25 of every request by default).</summary>
public sealed record InboxQuery(string? Status, string? Type, DateOnly? DueFrom, DateOnly? DueTo, string? Deadline, int? Page, int? PageSize);

/// <summary>
/// A page of the inbox. <see cref="Total"/> counts the requests of every page under the filters;
/// <see cref="CountsByStatus"/> has every status, zero included; <see cref="Today"/> is the Finnish day the marks were judged on.
/// </summary>
public sealed record RequestInboxDto(
    IReadOnlyList<InboxItemDto> Items, int Page, int PageSize, int Total, IReadOnlyDictionary<string, int> CountsByStatus, DateOnly Today);

/// <summary>A request in the inbox with its deadline mark: <c>overdue</c>, <c>due-soon</c>, or null (closed, or not due soon).</summary>
public sealed record InboxItemDto(RequestSummaryDto Request, string? Deadline);
