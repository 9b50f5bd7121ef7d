using System.Net.Http.Headers;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Procexon.Console.Apis;

/// <summary>
/// Puts the signed-in user's access token on every call to the API. The handler lives in the HTTP client factory's own
/// scope, so it finds the user's <see cref="UserTokens"/> through the circuit that made the call.
/// </summary>
public sealed class AccessTokenHandler(CircuitServices circuit) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var tokens = circuit.Current?.GetRequiredService<UserTokens>()
            ?? throw new InvalidOperationException("The API is called from an interactive page or an endpoint that names its scope: there is none here.");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.AccessTokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// The services of the circuit whose work is running (ASP.NET Core's documented pattern for reaching a circuit's
/// scope from another one, such as an HTTP message handler's); an endpoint that calls the API outside a circuit (the
/// export's download) sets its own request's.
/// </summary>
public sealed class CircuitServices
{
    private static readonly AsyncLocal<IServiceProvider?> s_current = new();

    public IServiceProvider? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }
}

/// <summary>Sets <see cref="CircuitServices.Current"/> around everything a circuit does: events, renders, timers it starts.</summary>
public sealed class CircuitServicesHandler(IServiceProvider services, CircuitServices circuit) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            circuit.Current = services;
            await next(context);
            circuit.Current = null;
        };
}
