namespace Procexon.DisclosureLog.Model;

/// <summary>Configuration section <c>DisclosureLog</c>.</summary>
public sealed class ErasureNoticeOptions
{
    public const string Section = "DisclosureLog";

    /// <summary>How long a recipient has to confirm an erasure notice before it shows as overdue.</summary>
    public TimeSpan ConfirmWithin { get; set; } = TimeSpan.FromDays(7);
}
