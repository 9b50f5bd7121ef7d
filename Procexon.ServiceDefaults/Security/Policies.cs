using Microsoft.AspNetCore.Authorization;

namespace Procexon.ServiceDefaults.Security;

/// <summary>The roles of DESIGN §10, as the identity provider puts them in the <c>role</c> claim.</summary>
public static class PlatformRoles
{
    public const string PrivacyOfficer = "privacy-officer";
    public const string CustomerService = "customer-service";
    public const string RegisterAdmin = "register-admin";
    public const string Auditor = "auditor";

    /// <summary>A recipient's client-credentials token; its <c>recipient</c> claim says whose notices it may see.</summary>
    public const string Processor = "processor";

    public static readonly IReadOnlyList<string> All = [PrivacyOfficer, CustomerService, RegisterAdmin, Auditor, Processor];
}

/// <summary>The claims the platform reads from an access token (JWT claim names, not mapped to .NET's long URIs).</summary>
public static class PlatformClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Recipient = "recipient";
    public const string ClientId = "client_id";
}

/// <summary>
/// What a caller may do, named in the domain's words. Endpoint groups ask for these, never for a role: which roles
/// grant each is written here and nowhere else (DESIGN §10). The privacy officer reads everything.
/// </summary>
public static class Policies
{
    /// <summary>Requests, their status and their lists.</summary>
    public const string ReadRequests = "read-requests";

    /// <summary>Intake of written requests, identity verification, codes and particulars.</summary>
    public const string HandleRequests = "handle-requests";

    /// <summary>Extensions, refusals (Art 12(5)), objection decisions, lifting restrictions.</summary>
    public const string DecideRequests = "decide-requests";

    /// <summary>The answer letters to data subjects.</summary>
    public const string ReadAnswers = "read-answers";

    /// <summary>Access and portability exports: a subject's whole data.</summary>
    public const string ReadExports = "read-exports";

    /// <summary>The requests' audit trail and its export for the Data Protection Ombudsman.</summary>
    public const string ReadAuditTrail = "read-audit-trail";

    /// <summary>The catalogue of registers (the record of processing), its versions and its export.</summary>
    public const string ReadCatalogue = "read-catalogue";

    public const string EditCatalogue = "edit-catalogue";

    /// <summary>Subjects and their records in each register.</summary>
    public const string ReadSubjects = "read-subjects";

    /// <summary>Creating subjects and records, merging duplicates, demo data.</summary>
    public const string ManageSubjects = "manage-subjects";

    /// <summary>Retention rules and legal holds.</summary>
    public const string ReadRetention = "read-retention";

    public const string RunSweeps = "run-sweeps";

    /// <summary>Placing and lifting legal holds for legal claims (Art 17(3)(e)): they override a subject's erasure.</summary>
    public const string PlaceLegalHolds = "place-legal-holds";

    /// <summary>Recipients and the disclosure log.</summary>
    public const string ReadDisclosures = "read-disclosures";

    public const string RecordDisclosures = "record-disclosures";

    /// <summary>How recipients are reached: setting a recipient's channel, its webhook URL or address, rotating its webhook secret.</summary>
    public const string ManageRecipients = "manage-recipients";

    /// <summary>Notices to recipients (Art 19): staff see all, a processor only its own (checked by the endpoint).</summary>
    public const string ReadRecipientNotices = "read-recipient-notices";

    /// <summary>Confirming a notice: staff by hand for any recipient, a processor for its own.</summary>
    public const string ConfirmRecipientNotices = "confirm-recipient-notices";

    /// <summary>A service's failed messages: listing them and replaying one once its fault is mended.</summary>
    public const string OperateMessaging = "operate-messaging";

    private static readonly Dictionary<string, string[]> s_roles = new()
    {
        [ReadRequests] = [PlatformRoles.PrivacyOfficer, PlatformRoles.CustomerService, PlatformRoles.Auditor],
        [HandleRequests] = [PlatformRoles.PrivacyOfficer, PlatformRoles.CustomerService],
        [DecideRequests] = [PlatformRoles.PrivacyOfficer],
        [ReadAnswers] = [PlatformRoles.PrivacyOfficer, PlatformRoles.CustomerService],
        [ReadExports] = [PlatformRoles.PrivacyOfficer],
        [ReadAuditTrail] = [PlatformRoles.PrivacyOfficer, PlatformRoles.Auditor],
        [ReadCatalogue] = [PlatformRoles.PrivacyOfficer, PlatformRoles.CustomerService, PlatformRoles.RegisterAdmin, PlatformRoles.Auditor],
        [EditCatalogue] = [PlatformRoles.RegisterAdmin],
        [ReadSubjects] = [PlatformRoles.PrivacyOfficer, PlatformRoles.CustomerService, PlatformRoles.RegisterAdmin],
        [ManageSubjects] = [PlatformRoles.RegisterAdmin],
        [ReadRetention] = [PlatformRoles.PrivacyOfficer, PlatformRoles.RegisterAdmin, PlatformRoles.Auditor],
        [RunSweeps] = [PlatformRoles.RegisterAdmin],
        [PlaceLegalHolds] = [PlatformRoles.PrivacyOfficer],
        [ReadDisclosures] = [PlatformRoles.PrivacyOfficer, PlatformRoles.Auditor],
        [RecordDisclosures] = [PlatformRoles.PrivacyOfficer, PlatformRoles.RegisterAdmin],
        [ManageRecipients] = [PlatformRoles.PrivacyOfficer],
        [ReadRecipientNotices] = [PlatformRoles.PrivacyOfficer, PlatformRoles.Auditor, PlatformRoles.Processor],
        [ConfirmRecipientNotices] = [PlatformRoles.PrivacyOfficer, PlatformRoles.Processor],
        [OperateMessaging] = [PlatformRoles.PrivacyOfficer],
    };

    /// <summary>The roles that grant each policy, for the role matrix and the documentation.</summary>
    public static IReadOnlyDictionary<string, string[]> Roles => s_roles;

    public static AuthorizationBuilder AddPlatformPolicies(this AuthorizationBuilder authorization)
    {
        foreach (var (policy, roles) in s_roles)
        {
            authorization.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }

        // Deny by default: an endpoint nobody gave a policy needs a signed-in caller; public ones say AllowAnonymous.
        return authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }
}
