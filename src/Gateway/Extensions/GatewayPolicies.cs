using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Procexon.ServiceDefaults.Security;

namespace Procexon.Gateway.Extensions;

/// <summary>
/// The gateway's coarse policies per route (DESIGN §10); each service then checks the precise one of its endpoint.
/// A processor's token reaches its notices and nothing else; staff reach the API; the public reaches the form.
/// </summary>
public static class GatewayPolicies
{
    /// <summary>YARP's own name for a route that takes anonymous callers.</summary>
    public const string Public = "anonymous";

    public const string Staff = "staff";

    /// <summary>
    /// The staff console's route: open at the gateway, because the console checks its own session cookie, which only it
    /// can read, and closes every page to anyone without a staff role (ServiceRoutes.ConsoleRoute says why).
    /// </summary>
    public const string ConsoleSession = Public;

    public const string StaffOrProcessor = "staff-or-processor";

    /// <summary>Rate limit of the public routes: per signed-in caller, or per address for anonymous ones.</summary>
    public const string PublicIntake = "public-intake";

    /// <summary>Rate limit of the subject search: per caller, <c>Gateway:SubjectSearchesPerMinute</c> (120).</summary>
    public const string SubjectSearch = "subject-search";

    private static readonly string[] s_staff = [.. PlatformRoles.All.Where(r => r != PlatformRoles.Processor)];

    public static IHostApplicationBuilder AddGatewayAuthorization(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireRole(s_staff))
            .AddPolicy(StaffOrProcessor, p => p.RequireAuthenticatedUser().RequireRole([.. s_staff, PlatformRoles.Processor]));
        return builder;
    }

    /// <summary>
    /// One ceiling per caller (its token's subject or client, else its address), so one runaway client cannot starve the
    /// others; and a far lower one for anonymous callers of the public routes (intake, codes, login), which mail people
    /// and guess codes.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayRateLimits(this IHostApplicationBuilder builder)
    {
        var permits = builder.Configuration.GetValue("Gateway:RequestsPerSecondPerClient", 2000);
        var anonymousPerMinute = builder.Configuration.GetValue("Gateway:AnonymousRequestsPerMinute", 60);
        var searchesPerMinute = builder.Configuration.GetValue("Gateway:SubjectSearchesPerMinute", 120);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(
                    CallerOf(context),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromSeconds(1) }));
            limiter.AddPolicy(PublicIntake, context => context.User.Identity?.IsAuthenticated == true
                ? RateLimitPartition.GetNoLimiter(CallerOf(context))
                : RateLimitPartition.GetSlidingWindowLimiter(
                    CallerOf(context),
                    _ => new SlidingWindowRateLimiterOptions { PermitLimit = anonymousPerMinute, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6 }));
            limiter.AddPolicy(SubjectSearch, context => RateLimitPartition.GetSlidingWindowLimiter(
                CallerOf(context),
                _ => new SlidingWindowRateLimiterOptions { PermitLimit = searchesPerMinute, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6 }));
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "1";
                return new ValueTask(Results.Problem(
                    title: "Too many requests",
                    detail: string.Create(CultureInfo.InvariantCulture, $"Too many requests from one client; try again shortly."),
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(rejected.HttpContext));
            };
        });
        return builder;
    }

    private static string CallerOf(HttpContext context) =>
        context.User.FindFirstValue(PlatformClaims.Subject) is { } subject ? $"sub:{subject}"
        : context.User.FindFirstValue(PlatformClaims.ClientId) is { } client ? $"client:{client}"
        : $"ip:{context.Connection.RemoteIpAddress}";
}
