using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Procexon.AppHost.Infrastructure;

/// <summary>
/// The mail server of Development and the tests: <c>scripts/servers/smtp.sh</c> (Debian's aiosmtpd) on loopback, keeping
/// every message it receives as an <c>.eml</c> file in <see cref="MailDirectory"/> and relaying nothing. Elsewhere the
/// services get a real SMTP host as configuration (<c>ConnectionStrings:mail</c>) instead.
/// </summary>
public sealed class LocalMailServerResource(string name, string workingDirectory, string mailDirectory)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Endpoint => new(this, "smtp");

    public string MailDirectory { get; } = mailDirectory;

    // Loopback by address: the server listens on 127.0.0.1 only, and "localhost" may resolve to ::1 first.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Endpoint=smtp://127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}");
}

public static class MailServerExtensions
{
    /// <summary>The resource's name, and the connection string's (<c>ConnectionStrings:mail</c>).</summary>
    public const string Name = "mail";

    /// <summary>
    /// Always on, whichever way PostgreSQL and RabbitMQ run (it needs no container). <c>Mail:Port</c> (default 55025) and
    /// <c>Mail:Directory</c> (default <c>mail</c> in the local data folder; the end-to-end tests name their own) say where.
    /// </summary>
    public static IResourceBuilder<LocalMailServerResource> AddLocalMailServer(
        this IDistributedApplicationBuilder builder, PlatformInfrastructure infrastructure)
    {
        var port = builder.Configuration.GetValue("Mail:Port", 55025);
        var directory = builder.Configuration["Mail:Directory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : infrastructure.DataDirectory("mail");
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "mail-ready", _ => new SmtpHealthCheck(port), failureStatus: null, tags: null));
        Console.WriteLine($"Mail to data subjects is kept in {directory} (scripts/mail.sh prints the newest).");

        return builder.AddResource(new LocalMailServerResource(Name, repository, directory))
            .WithArgs(Path.Combine(repository, "scripts", "servers", "smtp.sh"), directory, port.ToString(CultureInfo.InvariantCulture))
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "smtp", isProxied: false)
            .WithHealthCheck("mail-ready");
    }

    /// <summary>
    /// Mail from <paramref name="service"/> goes to the local server (<c>ConnectionStrings:mail</c>) in clear: it is on
    /// loopback. The sender is <c>Mail:From</c> of the AppHost's configuration.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMailServer(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<LocalMailServerResource> mail) =>
        service.WithReference(mail).WaitFor(mail)
            .WithEnvironment("Mail__From", service.ApplicationBuilder.Configuration["Mail:From"] ?? "Tietosuoja <tietosuoja@procexon.example>")
            .WithEnvironment("Mail__Security", "None");
}

/// <summary>Healthy when the server greets with 220: it listens and answers SMTP.</summary>
internal sealed class SmtpHealthCheck(int port) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, timeout.Token);
            using var reader = new StreamReader(client.GetStream());
            var greeting = await reader.ReadLineAsync(timeout.Token);
            return greeting?.StartsWith("220", StringComparison.Ordinal) == true
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The mail server did not greet with 220.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The mail server does not accept connections yet.", ex);
        }
    }
}
