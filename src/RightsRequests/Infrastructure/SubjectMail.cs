using System.Collections.Concurrent;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>A message to a data subject: a verification code, the news of an extension or a refusal.</summary>
public sealed record SubjectMail(Guid RequestId, string To, string Subject, string Body);

/// <summary>Sends mail to data subjects. Implementations never log the address or the body (it may hold a code).</summary>
public interface ISubjectMailer
{
    Task SendAsync(SubjectMail mail, CancellationToken cancellationToken);
}

/// <summary>The mail could not be sent; the caller answers 503 and the subject may ask again.</summary>
public sealed class SubjectMailUnavailableException(string message) : Exception(message);

/// <summary>
/// Development's mail sink: keeps the latest outgoing mail in memory so a developer (or a test) can read the code at
/// <c>GET /api/mailbox</c>. Never registered outside Development.
/// </summary>
public sealed class DevelopmentMailbox(TimeProvider clock) : ISubjectMailer
{
    /// <summary>The switch that puts this sink in place of real mail; the AppHost's development mode turns it on.</summary>
    public const string EnabledSetting = "RightsRequests:DevelopmentMailbox";

    private const int Capacity = 1000;
    private readonly ConcurrentQueue<DeliveredMail> _mail = new();

    public Task SendAsync(SubjectMail mail, CancellationToken cancellationToken)
    {
        _mail.Enqueue(new DeliveredMail(mail.RequestId, mail.To, mail.Subject, mail.Body, clock.GetUtcNow()));
        while (_mail.Count > Capacity && _mail.TryDequeue(out _))
        {
        }

        return Task.CompletedTask;
    }

    public IReadOnlyList<DeliveredMail> Delivered(Guid? requestId) =>
        [.. _mail.Where(m => requestId is null || m.RequestId == requestId).Reverse()];
}

public sealed record DeliveredMail(Guid RequestId, string To, string Subject, string Body, DateTimeOffset SentAt);

/// <summary>Outside Development until a real transport is configured: sending fails visibly instead of silently.</summary>
public sealed class UnconfiguredSubjectMailer : ISubjectMailer
{
    public Task SendAsync(SubjectMail mail, CancellationToken cancellationToken) =>
        throw new SubjectMailUnavailableException("No mail transport is configured for mail to data subjects.");
}
