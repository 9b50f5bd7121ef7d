namespace Procexon.RightsRequests.Infrastructure;

/// <summary>A message to a data subject: a verification code, the news of an extension or a refusal.</summary>
public sealed record SubjectMail(Guid RequestId, string To, string Subject, string Body);

/// <summary>Sends mail to data subjects. Implementations never log the address or the body (it may hold a code).</summary>
public interface ISubjectMailer
{
    Task SendAsync(SubjectMail mail, CancellationToken cancellationToken);
}

/// <summary>
/// The mail could not be sent; the caller answers 503 and the subject may ask again. The message is shown to the
/// caller, so it names neither the server nor the address.
/// </summary>
public sealed class SubjectMailUnavailableException(string message) : Exception(message);

/// <summary>No mail server configured (<c>ConnectionStrings:mail</c>): sending fails visibly instead of silently.</summary>
public sealed class UnconfiguredSubjectMailer : ISubjectMailer
{
    public Task SendAsync(SubjectMail mail, CancellationToken cancellationToken) =>
        throw new SubjectMailUnavailableException("No mail transport is configured for mail to data subjects.");
}
