using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MimeKit;

namespace Procexon.Testing;

/// <summary>A message the SMTP server received, as a subject's mail client would show it.</summary>
/// <param name="Recipients">The envelope's recipients (RCPT TO), which is where the mail went whatever its headers say.</param>
/// <param name="RequestId">The request the platform sent it for (its <c>Procexon-Request-Id</c> header).</param>
public sealed partial record ReceivedMail(string File, string From, IReadOnlyList<string> Recipients, string To, string Subject, string Body, Guid? RequestId)
{
    /// <summary>The six-digit one-time code in the body, or <see langword="null"/>.</summary>
    public string? Code => SixDigits().Match(Body) is { Success: true } match ? match.Value : null;

    public static ReceivedMail Read(string file)
    {
        using var message = MimeMessage.Load(file);
        return new ReceivedMail(
            file,
            message.From.Mailboxes.FirstOrDefault()?.Address ?? "",
            [.. message.Headers.Where(h => h.Field == "X-RcptTo").Select(h => h.Value.Trim())],
            message.To.Mailboxes.FirstOrDefault()?.Address ?? "",
            message.Subject ?? "",
            message.TextBody ?? "",
            Guid.TryParse(message.Headers["Procexon-Request-Id"], out var id) ? id : null);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}

/// <summary>
/// What the platform's SMTP server (<c>scripts/servers/smtp.py</c>) received: one <c>.eml</c> file per message in its
/// folder, renamed into place whole, named in the order they came.
/// </summary>
public sealed class SmtpMailbox(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>Every message received so far, newest first.</summary>
    public IReadOnlyList<ReceivedMail> All() => System.IO.Directory.Exists(Directory)
        ? [.. System.IO.Directory.GetFiles(Directory, "*.eml").Order(StringComparer.Ordinal).Reverse().Select(ReceivedMail.Read)]
        : [];

    /// <summary>The messages sent for one request, newest first.</summary>
    public IReadOnlyList<ReceivedMail> For(Guid requestId) => [.. All().Where(m => m.RequestId == requestId)];

    /// <summary>
    /// Waits until <paramref name="count"/> messages for the request have arrived, and answers them newest first. The
    /// service sends before it answers, so the wait is for a caller that did not wait for the service itself.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(Guid requestId, int count = 1, TimeSpan? timeout = null)
    {
        IReadOnlyList<ReceivedMail> mail = [];
        var arrived = await Eventually.EventuallyAsync(() => (mail = For(requestId)).Count >= count, timeout ?? TimeSpan.FromSeconds(30));
        Assert(arrived, $"{count} message(s) for request {requestId} did not arrive in {Directory}; {mail.Count} did.");
        return mail;
    }

    /// <summary>The newest message to <paramref name="address"/> that arrives, waiting for it.</summary>
    public async Task<ReceivedMail> WaitForMailToAsync(string address, TimeSpan? timeout = null)
    {
        ReceivedMail? found = null;
        var arrived = await Eventually.EventuallyAsync(
            () => (found = All().FirstOrDefault(m => m.Recipients.Contains(address, StringComparer.OrdinalIgnoreCase))) is not null,
            timeout ?? TimeSpan.FromSeconds(30));
        Assert(arrived, $"No message to the address arrived in {Directory}.");
        return found!;
    }

    private static void Assert(bool condition, string message)
    {
        if (!condition)
        {
            throw new TimeoutException(message);
        }
    }
}

/// <summary>
/// The platform's SMTP server for one test collection: <c>scripts/servers/smtp.sh</c> (Debian's aiosmtpd) on a free
/// loopback port, keeping mail in a temporary folder. It runs as a local process even where a container engine answers:
/// it is a Python script, no container needed. It can be stopped and started again on the same port and folder.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private readonly LocalServerProcess _process;
    private readonly string _directory;

    private SmtpServer(int port, string directory, LocalServerProcess process)
    {
        Port = port;
        _directory = directory;
        _process = process;
        Mailbox = new SmtpMailbox(Path.Combine(directory, "mail"));
    }

    public int Port { get; }

    public SmtpMailbox Mailbox { get; }

    /// <summary>What a service takes as <c>ConnectionStrings:mail</c>.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Endpoint=smtp://127.0.0.1:{Port}");

    /// <summary>A service's settings for mail through this server: the connection, a sender, and no TLS on loopback.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ServiceSettings =>
    [
        new("ConnectionStrings:mail", ConnectionString),
        new("Mail:From", "Tietosuoja <tietosuoja@procexon.example>"),
        new("Mail:Security", "None"),
        new("Mail:Timeout", "00:00:05"),
    ];

    public static async Task<SmtpServer> StartAsync()
    {
        var port = FreePort.Next();
        var directory = TestServers.CreateTemporaryDirectory("smtp");
        var process = new LocalServerProcess(
            $"SMTP server on port {port}",
            RepositoryPaths.ServerScript("smtp.sh"),
            [Path.Combine(directory, "mail"), port.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string>());
        var server = new SmtpServer(port, directory, process);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Stops the server: a service's next mail finds nobody listening.</summary>
    public Task StopAsync() => _process.StopAsync(kill: false);

    /// <summary>Starts the server on the same port and folder, and waits until it greets.</summary>
    public async Task StartAgainAsync()
    {
        _process.Start();
        await _process.WaitUntilReadyAsync(async cancellationToken =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, Port, cancellationToken);
            using var reader = new StreamReader(client.GetStream());
            return (await reader.ReadLineAsync(cancellationToken))?.StartsWith("220", StringComparison.Ordinal) == true;
        }, TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        PostgresServer.TryDelete(_directory);
    }
}
