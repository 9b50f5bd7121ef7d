namespace Procexon.AppHost.Infrastructure;

public sealed class InfrastructureOptions
{
    /// <summary><c>auto</c>, <c>container</c> or <c>executable</c>.</summary>
    public string Mode { get; set; } = "auto";

    /// <summary>Where the local servers keep their data; empty means the repository's git-ignored <c>.data</c> folder.</summary>
    public string DataDirectory { get; set; } = "";

    // Away from the defaults (5432, 5672, 25672, 15672), so a system install on the same machine does not collide.
    public int PostgresPort { get; set; } = 55432;

    public int RabbitMqPort { get; set; } = 55672;

    public int RabbitMqDistributionPort { get; set; } = 55673;

    /// <summary>0 leaves the management UI off (faster start in tests).</summary>
    public int RabbitMqManagementPort { get; set; } = 55674;
}
