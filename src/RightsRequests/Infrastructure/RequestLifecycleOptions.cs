namespace Procexon.RightsRequests.Infrastructure;

/// <summary>The <c>RightsRequests</c> configuration section.</summary>
public sealed class RequestLifecycleOptions
{
    public const string Section = "RightsRequests";

    /// <summary>How long an unverified request waits before it closes as expired, from when it was entered.</summary>
    public TimeSpan VerificationWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often the sweeps look for requests to expire and for answer copies to remove.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests due within this many days count as due soon (list default and gauge).</summary>
    public int DueSoonDays { get; set; } = 7;

    /// <summary>
    /// The HMAC key of verification codes (base64, at least 32 bytes). Without it each process makes its own, so a
    /// code sent by one replica or before a restart is not accepted by another: the subject asks for a new one.
    /// </summary>
    public string? VerificationCodeKey { get; set; }

    /// <summary>The <c>RightsRequests:AnswerCopies</c> section.</summary>
    public AnswerCopyOptions AnswerCopies { get; set; } = new();
}

/// <summary>How long the copies of the subject's data a request was answered with are kept.</summary>
public sealed class AnswerCopyOptions
{
    /// <summary>
    /// From the request's completion; long enough for the subject to fetch the answer and export. A request never
    /// completed keeps its copies as long as the request itself.
    /// </summary>
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromDays(90);
}
