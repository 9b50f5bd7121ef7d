namespace Procexon.DisclosureLog.Model;

/// <summary>Configuration section <c>DisclosureLog:Webhooks</c>: how webhook recipients are reached, and which they are.</summary>
public sealed class WebhookOptions
{
    public const string Section = "DisclosureLog:Webhooks";

    /// <summary>How often the dispatcher looks for due deliveries when it has nothing to send.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt may take before it counts as failed (per recipient pipeline).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The delay after the first failed attempt; each later one doubles it (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After this long undelivered, a delivery is no longer tried and its notice is overdue (escalated).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The share of failed attempts within <see cref="CircuitSamplingDuration"/> that opens a recipient's circuit.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>How many attempts the sampling window needs before the ratio may open the circuit.</summary>
    public int CircuitMinimumThroughput { get; set; } = 5;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an open circuit sends nothing to its recipient before one trial attempt.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a rotated-out signing secret keeps signing beside the new one (<c>webhook-signature</c> then carries two
    /// signatures), so a recipient can switch its verifying secret without refusing a notice. Zero: no overlap.
    /// </summary>
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The webhook recipients by slug, given by the deployment (the AppHost in Development): each configured recipient
    /// takes the <c>webhook</c> channel with this URL and secret at start, unless a privacy officer has set its channel since
    /// (<see cref="RecipientChannelsConfigurer"/>); a changed secret is rotated in with the overlap.
    /// </summary>
    public Dictionary<string, WebhookEndpoint> Recipients { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Where one recipient receives its webhooks and the Standard Webhooks secret (<c>whsec_</c> + base64) they are signed with.</summary>
public sealed class WebhookEndpoint
{
    public string? Url { get; set; }

    public string? Secret { get; set; }
}
