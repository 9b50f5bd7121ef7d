using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// Carries out one right for one subject in one register and answers once: access and portability copy the records
/// out (portability only what rests on consent or contract), restriction and an upheld objection restrict, a
/// rectification corrects the fields the register holds, an objection to direct marketing erases the marketing
/// records (but for those a legal hold placed by a person keeps, restricted) and keeps a suppression entry.
/// </summary>
public sealed class ApplyRightInRegister(
    RegistryContext db, IEventOutbox outbox, SuppressionKeys suppression, TimeProvider clock, ILogger<ApplyRightInRegister> logger)
    : IdempotentConsumer<ExerciseRightInRegister, RegistryContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<ExerciseRightInRegister> context, CancellationToken cancellationToken)
    {
        var command = context.Message;
        var subjectIds = command.SubjectIds.ToArray();
        // Only the objection to direct marketing may remove the subject, and so takes the row for itself; the other
        // rights read or change records and share it, so the registers of one request do not queue behind each other.
        // The objection reads the legal holds first (FOR SHARE), as an erasure and a hold's lifting do: holds before
        // subjects everywhere, so an objection and a lifting at the same moment wait for each other instead of deadlocking.
        var objection = command.Right == SubjectRights.ObjectionToDirectMarketing;
        var holds = objection ? await LegalHoldsInForce.CoveringAsync(Db, subjectIds, [command.Register], cancellationToken) : [];
        var subjects = objection
            ? await SubjectErasure.LockSubjectsAsync(Db, subjectIds, cancellationToken)
            : await SubjectErasure.ShareLockSubjectsAsync(Db, subjectIds, cancellationToken);
        var records = await Db.Records
            .Where(r => subjectIds.Contains(r.SubjectId) && r.Register == command.Register)
            .OrderBy(r => r.RecordedOn).ThenBy(r => r.Id)
            .ToListAsync(cancellationToken);
        var register = await Db.Registers.AsNoTracking().SingleAsync(r => r.Slug == command.Register, cancellationToken);
        var now = Clock.GetUtcNow();

        var answer = command.Right switch
        {
            SubjectRights.Access => Disclose(register, records, portableOnly: false),
            SubjectRights.Portability => Disclose(register, records, portableOnly: true),
            SubjectRights.Restriction => Restrict(command, records, _ => true, now),
            SubjectRights.ObjectionUpheld => Restrict(
                command, records, r => CategoryLegalBases.Of(r.Register, r.Category) == LegalBases.LegitimateInterest, now),
            SubjectRights.Rectification => Rectify(records, command.Corrections),
            SubjectRights.ObjectionToDirectMarketing => await StopDirectMarketingAsync(command, subjects, records, holds, now, cancellationToken),
            _ => throw new InvalidOperationException($"Unknown right '{command.Right}'."),
        };

        if (command.Right == SubjectRights.ObjectionToDirectMarketing)
        {
            await SubjectErasure.RemoveSubjectsLeftWithoutRecordsAsync(Db, subjectIds, cancellationToken);
        }

        outbox.Add(new RegisterRightCompleted(
            command.RequestId, command.Right, command.Register, register.Description.Name, answer.Outcome, answer.Affected,
            answer.Records, answer.Processing, answer.Note, now));
        RightsMetrics.Count(command.Register, command.Right, answer.Outcome);
    }

    private static RegisterAnswer Disclose(Register register, List<RegisterRecord> records, bool portableOnly)
    {
        var names = register.Description.DataCategories.ToDictionary(c => c.Code, c => c.Name, StringComparer.Ordinal);
        var held = records
            .Select(r => (Record: r, Basis: CategoryLegalBases.Of(r.Register, r.Category)))
            .Where(r => !portableOnly || (CategoryLegalBases.IsPortable(r.Basis) && r.Record.State == RecordState.Active))
            .Select(r => new HeldRecord(
                r.Record.Id,
                r.Record.SubjectId,
                r.Record.Category,
                names.GetValueOrDefault(r.Record.Category) ?? new LocalizedText(r.Record.Category, r.Record.Category),
                r.Basis,
                StateName(r.Record.State),
                r.Record.RecordedOn,
                new Dictionary<string, string>(r.Record.Fields, StringComparer.Ordinal),
                r.Record.RetentionRule,
                r.Record.RetainUntil))
            .ToList();
        var left = records.Count - held.Count;
        var note = portableOnly && left > 0
            ? new LocalizedText(
                $"{left} tietuetta jätettiin pois, koska niitä käsitellään lain tai oikeutetun edun perusteella; siirto-oikeus koskee vain suostumuksen tai sopimuksen perusteella antamiasi tietoja (GDPR 20 artikla).",
                $"{left} records were left out because they are processed under law or legitimate interest; portability covers only data you provided under consent or contract (GDPR Art 20).")
            : null;
        return new RegisterAnswer(
            portableOnly ? RightOutcomes.Exported : RightOutcomes.Disclosed, held.Count, held, portableOnly ? null : Processing(register), note);
    }

    private RegisterAnswer Restrict(ExerciseRightInRegister command, List<RegisterRecord> records, Func<RegisterRecord, bool> concerned, DateTimeOffset now)
    {
        foreach (var group in records.Where(concerned).GroupBy(r => r.SubjectId))
        {
            var restricted = group.Where(r => r.State == RecordState.Active).ToList();
            restricted.ForEach(r => r.State = RecordState.Restricted);
            Db.Add(new SubjectRestriction
            {
                RequestId = command.RequestId,
                SubjectId = group.Key,
                Register = command.Register,
                Right = command.Right,
                RecordIds = [.. restricted.Select(r => r.Id)],
                RestrictedAt = now,
            });
        }

        var count = records.Count(concerned);
        return new RegisterAnswer(count == 0 ? RightOutcomes.NotHeld : RightOutcomes.Restricted, count, [], null, null);
    }

    private static RegisterAnswer Rectify(List<RegisterRecord> records, IReadOnlyList<FieldCorrection> corrections)
    {
        var changed = 0;
        foreach (var record in records)
        {
            var fields = new Dictionary<string, string>(record.Fields, StringComparer.Ordinal);
            var touched = false;
            foreach (var correction in corrections)
            {
                // Record fields are named by whoever entered them: match the corrected field by name, any case.
                foreach (var key in fields.Keys.Where(k => k.Equals(correction.Field, StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    touched |= fields[key] != correction.Value;
                    fields[key] = correction.Value;
                }
            }

            if (touched)
            {
                record.Fields = fields;
                changed++;
            }
        }

        return new RegisterAnswer(changed == 0 ? RightOutcomes.NothingToRectify : RightOutcomes.Rectified, changed, [], null, null);
    }

    private async Task<RegisterAnswer> StopDirectMarketingAsync(
        ExerciseRightInRegister command, IReadOnlyList<Subject> subjects, List<RegisterRecord> records, IReadOnlyList<LegalHoldInForce> holds,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Records a legal hold placed by a person covers (Art 17(3)(e)) stay, restricted, under the hold: never used for
        // marketing again, and erased when the hold is lifted (EraseDataOfLiftedLegalHold).
        var kept = 0;
        foreach (var record in records)
        {
            if (LegalHoldsInForce.Of(holds, record.SubjectId, record.Register) is { } hold)
            {
                record.State = RecordState.Restricted;
                record.LegalHoldId = hold.HoldId;
                kept++;
            }
            else
            {
                Db.Records.Remove(record);
            }
        }

        var entries = subjects.SelectMany(s => suppression.For(s.Email, s.Phone))
            .Concat(suppression.ForHashes(command.Subject.Email, command.Subject.Phone))
            .Distinct()
            .ToList();
        var hashes = entries.Select(e => e.Hash).ToList();
        var existing = await Db.SuppressionEntries.Where(e => hashes.Contains(e.KeyHash)).Select(e => e.KeyHash).ToListAsync(cancellationToken);
        foreach (var (kind, hash) in entries.Where(e => !existing.Contains(e.Hash)))
        {
            Db.SuppressionEntries.Add(new SuppressionEntry { KeyHash = hash, Kind = kind, CreatedAt = now });
        }

        if (kept > 0)
        {
            return new RegisterAnswer(RightOutcomes.Suppressed, records.Count - kept, [], null, new LocalizedText(
                $"Suoramarkkinointi lopetettiin heti, ja estomerkintä (sähköpostiosoitteen tai puhelinnumeron avaintiiviste) estää lisäämästä sinua kampanjoihin uudelleen (GDPR 21 artiklan 3 kohta). {kept} markkinointirekisterin tietuetta säilytetään oikeudellisen vaateen vuoksi (tietosuoja-asetuksen 17 artiklan 3 kohdan e alakohta): niiden käsittelyä on rajoitettu, eikä niitä käytetä markkinointiin. Muut tiedot poistettiin.",
                $"Direct marketing stopped at once, and a suppression entry (a keyed hash of your e-mail address or phone number) keeps you from being added to campaigns again (GDPR Art 21(3)). {kept} records in the marketing register are kept for legal claims (GDPR Art 17(3)(e)): their processing is restricted and they are never used for marketing. The rest was erased."));
        }

        return new RegisterAnswer(RightOutcomes.Suppressed, records.Count, [], null, new LocalizedText(
            "Suoramarkkinointi lopetettiin heti: markkinointirekisterin tietosi poistettiin, ja sinne jää vain estomerkintä (sähköpostiosoitteen tai puhelinnumeron avaintiiviste), jotta sinua ei lisätä kampanjoihin uudelleen (GDPR 21 artiklan 3 kohta).",
            "Direct marketing stopped at once: your data in the marketing register was erased, and only a suppression entry (a keyed hash of your e-mail address or phone number) stays so that you are never added to campaigns again (GDPR Art 21(3))."));
    }

    internal static RegisterProcessing Processing(Register register)
    {
        var description = register.Description;
        return new RegisterProcessing(
            [.. description.Purposes.Select(p => new ProcessingPurpose(p.LegalBasis, p.Text))],
            description.LegalBases,
            [.. description.DataCategories.Select(c => new CategoryBasis(c.Code, c.Name, CategoryLegalBases.Of(register.Slug, c.Code)))],
            [.. description.Sources.Select(s => s.Name)],
            description.Retention,
            description.Recipients,
            description.TransfersOutsideEuEea.Possible,
            description.TransfersOutsideEuEea.Safeguard);
    }

    private static string StateName(RecordState state) => state switch
    {
        RecordState.Active => "active",
        RecordState.Restricted => "restricted",
        _ => "beyond-use",
    };

    private sealed record RegisterAnswer(string Outcome, int Affected, IReadOnlyList<HeldRecord> Records, RegisterProcessing? Processing, LocalizedText? Note);
}
