using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Procexon.ServiceDefaults.Csv;

namespace Procexon.RightsRequests.Model;

/// <summary>
/// The subject's data as a machine-readable document: for access (Art 15) everything every register holds, with the
/// catalogue's account of each register and the right to complain; for portability (Art 20) only what the subject
/// provided under consent or contract.
/// </summary>
public sealed record RightsExport(
    Guid RequestId,
    string Type,
    DateTimeOffset? CompletedAt,
    ControllerDto Controller,
    IReadOnlyList<ExportedIdentifiers> Identifiers,
    IReadOnlyList<ExportedRegister> Registers,
    ComplaintDto Complaint);

public sealed record ControllerDto(string Name, string Address);

/// <summary>
/// The identifiers held on the subject. The personal identity code is never echoed (it could be read by whoever holds
/// the export link): only that it is held, masked, and the subject may ask to see it in person.
/// </summary>
public sealed record ExportedIdentifiers(string? Name, string? Email, string? Phone, string? PersonalIdentityCode, string? BusinessId, string? CustomerNumber);

public sealed record ExportedRegister(string Register, LocalizedText Name, string Outcome, RegisterProcessing? Processing, IReadOnlyList<HeldRecord> Records);

/// <summary>The right to lodge a complaint with the supervisory authority (Art 15(1)(f), Art 77).</summary>
public sealed record ComplaintDto(LocalizedText Authority, string Address, string Web);

public static class RightsExports
{
    public const string Json = "json";
    public const string Zip = "zip";

    public static readonly IReadOnlyList<string> Formats = [Json, Zip];

    public static readonly ControllerDto Controller = new("Procexon Oy", "Huoltomiehentie 7, 21420 Lieto");

    public static readonly ComplaintDto Complaint = new(
        new LocalizedText("Tietosuojavaltuutetun toimisto", "Office of the Data Protection Ombudsman (tietosuojavaltuutettu)"),
        "PL 800, 00531 Helsinki",
        "https://tietosuoja.fi");

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The types that have an export: access and portability.</summary>
    public static bool HasExport(RequestType type) => type is RequestType.Access or RequestType.Portability;

    public static RightsExport Compose(RightsRequest request, IReadOnlyList<RegisterDataCopy> copies)
    {
        var portable = request.Type == RequestType.Portability;
        var byRegister = copies.ToDictionary(c => c.Register, StringComparer.Ordinal);
        var registers = request.Registers
            .Where(r => byRegister.ContainsKey(r.Register))
            .OrderBy(r => r.Register, StringComparer.Ordinal)
            .Select(r => new ExportedRegister(
                r.Register, r.Name, r.Outcome ?? ErasureProgress.Pending, byRegister[r.Register].Processing, byRegister[r.Register].Records))
            .ToList();
        var identifiers = request.HeldIdentifiers
            .Select(i => portable
                // Portability carries what the subject gave us to be contacted by, not codes we assigned or looked up.
                ? new ExportedIdentifiers(i.Name, i.Email, i.Phone, null, null, null)
                : new ExportedIdentifiers(i.Name, i.Email, i.Phone, i.Hetu is null ? null : MaskedHetu(i.Hetu), i.BusinessId, i.CustomerNumber))
            .ToList();
        return new RightsExport(request.Id, RequestText.Kebab(request.Type), request.CompletedAt, Controller, identifiers, registers, Complaint);
    }

    public static byte[] ToJson(RightsExport export) => JsonSerializer.SerializeToUtf8Bytes(export, s_json);

    /// <summary>
    /// The portability package: <c>data.json</c> (the whole export), <c>records.csv</c> (one row per field of every
    /// record) and <c>identifiers.csv</c>, written by <see cref="SpreadsheetSafeCsv"/>.
    /// </summary>
    public static byte[] ToZip(RightsExport export)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "data.json", ToJson(export));

            var records =
                from register in export.Registers
                from record in register.Records
                from field in record.Fields.OrderBy(f => f.Key, StringComparer.Ordinal)
                select new[]
                {
                    register.Register, record.RecordId.ToString(), record.Category, record.LegalBasis,
                    record.RecordedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), field.Key, field.Value,
                };
            Write(zip, "records.csv", SpreadsheetSafeCsv.ToUtf8(["register", "recordId", "category", "legalBasis", "recordedOn", "field", "value"], records));

            var identifiers =
                from held in export.Identifiers
                from field in new[] { (Name: "name", Value: held.Name), (Name: "email", Value: held.Email), (Name: "phone", Value: held.Phone) }
                where field.Value is not null
                select new[] { field.Name, field.Value };
            Write(zip, "identifiers.csv", SpreadsheetSafeCsv.ToUtf8(["field", "value"], identifiers));
        }

        return buffer.ToArray();
    }

    private static string MaskedHetu(string hetu) =>
        Procexon.Contracts.Identifiers.Hetu.TryParse(hetu, out var parsed, out _) ? parsed.ToString() : "***********";

    private static void Write(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(content);
    }
}
