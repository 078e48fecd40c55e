using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Punch.Core.Protocol;
using Punch.Server.Events;
using Punch.Server.Hosting;
using Punch.Server.Security;
using Punch.Server.Storage;

namespace Punch.Server.Api;

/// <summary>The read-only REST API under <c>/api</c>; every list is bounded.</summary>
public static class ApiEndpoints
{
    public const int DefaultEventPageSize = 100;
    public const int DefaultSessionPageSize = 200;
    public const int DefaultPeerPageSize = 100;

    /// <summary>The response header that carries how many peers match in all (the body is one page of them).</summary>
    public const string TotalCountHeader = "X-Total-Count";

    public static IEndpointRouteBuilder MapPunchApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Who may call is decided by the fallback authorization policy (see SecurityRegistration).
        var api = endpoints.MapGroup(HttpPaths.Api).RequireRateLimiting(SecurityRegistration.ApiRateLimitPolicy);
        api.MapGet("/peers", GetPeersAsync);
        api.MapGet("/sessions", GetSessionsAsync);
        api.MapGet("/sessions/{id}", GetSessionAsync);
        api.MapGet("/events", GetEventsAsync);
        api.MapGet("/stats", GetStatsAsync);
        api.MapGet("/nat-pairs", (NatPairQueries queries, CancellationToken ct) => queries.GetMatrixAsync(ct));
        api.MapNetworkEndpoints();
        api.MapGet("/relay", (Relay.RelayView view) => view.Snapshot());
        api.MapGet("/exposed", (Expose.ExposeView view) => view.Snapshot());
        // An unknown API address answers in problem details, not with the dashboard's not-found page.
        api.MapFallback(() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such API endpoint."));
        return endpoints;
    }

    /// <summary>The newest sessions; with <c>natA</c> and <c>natB</c> (NAT type names, as the matrix shows them) only that pair's, either way round.</summary>
    private static async Task<Results<Ok<IReadOnlyList<SessionView>>, ValidationProblem>> GetSessionsAsync(
        string? limit, string? natA, string? natB, PunchQueries queries, NatPairQueries pairs, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var pageSize = ParseInRange(limit, "limit", DefaultSessionPageSize, 1, PunchQueries.MaxPageSize, errors);
        foreach (var (name, value) in new[] { ("natA", natA), ("natB", natB) })
        {
            if ((natA is null) != (natB is null))
            {
                errors[name] = ["natA and natB go together: the two NAT types of a pair."];
            }
            else if (value is not null && !NatTypeFilter.IsKnown(value))
            {
                errors[name] = [$"{name} must be one of: {string.Join(", ", NatPairQueries.TypeOrder)}."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(natA is not null && natB is not null
            ? await pairs.GetSessionsAsync(natA, natB, (int)pageSize, ct)
            : await queries.GetSessionsAsync((int)pageSize, ct));
    }

    /// <summary>
    /// One page of peers (<c>page</c> from 1, <c>pageSize</c> up to <see cref="PunchQueries.MaxPageSize"/>), optionally only
    /// those whose name or network contains <c>search</c>. The body stays a plain array, as before paging, and the total
    /// rides in <see cref="TotalCountHeader"/>: with 100,000 peers the whole list is too much for one answer.
    /// </summary>
    private static async Task<Results<Ok<IReadOnlyList<PeerView>>, ValidationProblem>> GetPeersAsync(
        string? page, string? pageSize, string? search, PunchQueries queries, HttpResponse response, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var number = ParseInRange(page, "page", 1, 1, int.MaxValue, errors);
        var size = ParseInRange(pageSize, "pageSize", DefaultPeerPageSize, 1, PunchQueries.MaxPageSize, errors);
        if (search is { Length: > PunchQueries.MaxPeerSearchLength })
        {
            errors["search"] = [$"search must be at most {PunchQueries.MaxPeerSearchLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await queries.GetPeerPageAsync((int)number, (int)size, search, ct);
        response.Headers[TotalCountHeader] = result.Total.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok(result.Peers);
    }

    private static Task<PunchStats> GetStatsAsync(StatsQuery stats, CancellationToken ct) => stats.GetAsync(ct);

    private static async Task<Results<Ok<SessionDetail>, NotFound<string>, ValidationProblem>> GetSessionAsync(
        string id, PunchQueries queries, CancellationToken ct)
    {
        // Ids are 16 hex digits; anything a peer name may be is let through to a plain 404, the rest is bad input.
        if (!PeerIdentity.IsValidName(id))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["id must be a session id (16 hex digits)."] });
        }

        var detail = await queries.GetSessionAsync(id, ct);
        return detail is null ? TypedResults.NotFound($"No session {id}.") : TypedResults.Ok(detail);
    }

    // Query values are parsed here rather than bound as long/int: a failed bind answers a bare 400
    // (or throws in Development); parsing ourselves gives the same problem details in every environment.
    private static async Task<Results<Ok<IReadOnlyList<StoredEvent>>, ValidationProblem>> GetEventsAsync(
        string? afterId, string? limit, PunchQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var after = ParseInRange(afterId, "afterId", 0, 0, long.MaxValue, errors);
        var pageSize = ParseInRange(limit, "limit", DefaultEventPageSize, 1, PunchQueries.MaxPageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await queries.GetEventsAfterAsync(after, (int)pageSize, ct));
    }

    private static long ParseInRange(string? text, string name, long fallback, long min, long max, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"{name} must be a whole number from {min} to {max}."];
        return fallback;
    }
}
