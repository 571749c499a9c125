using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Threadline.Server.Hosting;

/// <summary>
/// Lets two ports serve the same path differently: Jaeger's <c>/api/traces/{id}</c> on the API port
/// and Tempo's on the Tempo port. Routing drops the candidates confined to another port's role
/// before it chooses, so the two never make an ambiguous match; a path served only elsewhere
/// matches nothing and gets the <see cref="WrongPortResponder"/>'s guide.
/// </summary>
internal sealed class ListenerRoleMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    private readonly ServerListeners _listeners;

    public ListenerRoleMatcherPolicy(ServerListeners listeners) => _listeners = listeners;

    // After the HTTP method policy, so a method mismatch is still judged on the right port's routes.
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<ListenerRoleMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var role = _listeners.RoleOf(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            var required = candidates[i].Endpoint.Metadata.GetMetadata<ListenerRoleMetadata>();
            if (required is not null && required.Role != role) candidates.SetValidity(i, false);
        }
        return Task.CompletedTask;
    }
}
