namespace Procexon.Console.Extensions;

/// <summary>
/// The headers of every console response. Scripts only from the console itself (Blazor's and Fluent UI's files, no
/// inline script); the circuit's WebSocket to the same origin; never framed; forms only to this origin. Inline styles
/// are allowed: Blazor and the Fluent web components set <c>style</c> attributes, and a style cannot run code.
/// </summary>
public sealed class ConsoleSecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        // Pages show requests' details: not kept by a shared browser's or a proxy's cache. The static files say how they
        // may be cached themselves (code and styles, no data), and keep it.
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            if (string.IsNullOrEmpty(response.Headers.CacheControl))
            {
                response.Headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
