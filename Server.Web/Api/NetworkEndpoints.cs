using Microsoft.AspNetCore.Http.HttpResults;
using Punch.Server.Hosting;
using Punch.Server.Security;

namespace Punch.Server.Api;

/// <summary>
/// Networks and their keys under <c>/api/networks</c>. Setting a key is an admin action: when a
/// password is configured the whole API needs a login, and without one the server listens on loopback only;
/// either way the changes need the X-Punch-Request header (see <see cref="CrossSiteRequestGuard"/>).
/// </summary>
public static class NetworkEndpoints
{
    public sealed record SetKeyRequest(string? Key);

    public static RouteGroupBuilder MapNetworkEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/networks", (NetworkKeyStore store, CancellationToken ct) => store.ListAsync(ct));
        api.MapPut("/networks/{network}/key", SetKeyAsync);
        api.MapDelete("/networks/{network}/key", RemoveKeyAsync);
        return api;
    }

    /// <summary><c>PUT /api/networks/{network}/key {"key": "..."}</c>: 204 once stored and in force.</summary>
    private static async Task<Results<NoContent, ValidationProblem>> SetKeyAsync(
        string network, HttpRequest request, NetworkKeyStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        AddError(errors, "network", NetworkKeyRules.ValidateNetwork(network));
        var body = await ProblemResponses.ReadJsonAsync<SetKeyRequest>(request, errors, ct);
        if (body is not null)
        {
            AddError(errors, "key", NetworkKeyRules.ValidateKey(body.Key));
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await store.SetAsync(network, body!.Key, ct);
        return TypedResults.NoContent();
    }

    /// <summary><c>DELETE /api/networks/{network}/key</c>: the network is open again (a key from configuration comes back at the next start).</summary>
    private static async Task<Results<NoContent, ValidationProblem>> RemoveKeyAsync(string network, NetworkKeyStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        AddError(errors, "network", NetworkKeyRules.ValidateNetwork(network));
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await store.SetAsync(network, null, ct);
        return TypedResults.NoContent();
    }

    private static void AddError(Dictionary<string, string[]> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors[field] = [error];
        }
    }
}
