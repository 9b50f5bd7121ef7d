namespace Procexon.Identity.Model;

/// <summary>The platform's roles (DESIGN §10), exactly as tokens carry them in <c>role</c> claims.</summary>
public static class Roles
{
    public const string PrivacyOfficer = "privacy-officer";
    public const string CustomerService = "customer-service";
    public const string RegisterAdmin = "register-admin";
    public const string Auditor = "auditor";
    public const string Processor = "processor";

    public static IReadOnlyList<string> All { get; } = [PrivacyOfficer, CustomerService, RegisterAdmin, Auditor, Processor];
}
