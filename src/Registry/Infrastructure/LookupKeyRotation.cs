namespace Procexon.Registry.Infrastructure;

/// <summary>
/// Rotating <c>Registry:IdentifierKey</c>, the key every subject is looked up by. The Registry holds every identifier
/// encrypted, so it can hash each again under the new key; what it cannot change is a hash somebody else made: the
/// requests already queued, and the suppression list (hashes only, by design). So the first start with a new key and
/// the old one in <c>Registry:PreviousIdentifierKeys</c>, in one transaction before the service listens:
/// <list type="number">
/// <item>keeps every subject's current hashes and merged customer numbers, under the old key's id, in
/// <c>retired_lookup_hashes</c>: requests hashed before the rotation still find their subject;</item>
/// <item>hashes every identifier and alias again under the new key;</item>
/// <item>moves the key check to the new key.</item>
/// </list>
/// Interrupted, nothing of it stays and the next start does it all again. Starts with the old key no longer among the
/// previous ones drop its kept hashes. docs/security.md ("Keys") has the steps.
/// </summary>
public static partial class LookupKeyRotation
{
    private const int BatchSize = 1000;

    public static Task RotateAsync(RegistryContext db, SubjectKeyHasher retired, ILogger logger, CancellationToken cancellationToken) =>
        // All or nothing, retried whole on a transient failure as the service's execution strategy asks.
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await RotateOnceAsync(db, retired, logger, cancellationToken);
        });

    private static async Task RotateOnceAsync(RegistryContext db, SubjectKeyHasher retired, ILogger logger, CancellationToken cancellationToken)
    {
        var protection = db.Protection;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The hashes in the table are the retired key's: keep them, as they are, for requests made with it.
        var kept = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO retired_lookup_hashes (key_id, hash, subject_id)
            SELECT {retired.KeyId}, h.hash, s.id FROM subjects s
            CROSS JOIN LATERAL (VALUES (s.email_hash), (s.phone_hash), (s.hetu_hash), (s.business_id_hash), (s.customer_number_hash)) AS h(hash)
            WHERE h.hash IS NOT NULL
            UNION ALL
            SELECT {retired.KeyId}, a.key_hash, a.subject_id FROM subject_aliases a
            ON CONFLICT DO NOTHING
            """, cancellationToken);

        var rehashed = 0;
        Guid? after = null;
        while (true)
        {
            var batch = await db.Subjects
                .Where(s => after == null || s.Id.CompareTo(after.Value) > 0)
                .OrderBy(s => s.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var subject in batch)
            {
                // Marked changed, the save hashes every identifier again under the current key (SubjectIdentifierHashing).
                db.Entry(subject).Property(SubjectIdentifierColumns.EmailHash).IsModified = true;
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            rehashed += batch.Count;
            after = batch[^1].Id;
        }

        var aliases = await db.SubjectAliases.AsNoTracking().ToListAsync(cancellationToken);
        var aliasesWithoutValue = 0;
        foreach (var alias in aliases)
        {
            if (alias.CustomerNumber is null)
            {
                // Made before aliases kept their value: found through the kept hash until the retired key goes.
                aliasesWithoutValue++;
                continue;
            }

            var hash = protection.Hash(IdentifierKind.CustomerNumber, alias.CustomerNumber);
            await db.Database.ExecuteSqlAsync(
                $"UPDATE subject_aliases SET key_hash = {hash} WHERE key_hash = {alias.KeyHash}", cancellationToken);
        }

        var check = await db.IdentifierKeyChecks.SingleAsync(c => c.Id == IdentifierKeyCheck.SingletonId, cancellationToken);
        check.IdentifierKeyHash = protection.Hash(IdentifierKind.CustomerNumber, IdentifierKeyCheck.Probe);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogRotated(logger, retired.KeyId, protection.Hasher.KeyId, rehashed, aliases.Count - aliasesWithoutValue, kept, aliasesWithoutValue);
    }

    /// <summary>Drops the kept hashes of keys no longer configured as previous: once gone from the settings, they find nobody.</summary>
    public static async Task ForgetUnconfiguredAsync(RegistryContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var configured = db.Protection.RetiredHashers.Select(h => h.KeyId).ToList();
        var forgotten = await db.RetiredLookupHashes.Where(h => !configured.Contains(h.KeyId)).ExecuteDeleteAsync(cancellationToken);
        if (forgotten > 0)
        {
            LogForgotten(logger, forgotten);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Lookup key rotated from key id {RetiredKeyId} to {KeyId}: {Subjects} subjects and {Aliases} aliases hashed again, {Kept} hashes kept for requests made before; {AliasesWithoutValue} aliases without a kept value stay findable only through the retired key")]
    private static partial void LogRotated(ILogger logger, string retiredKeyId, string keyId, int subjects, int aliases, int kept, int aliasesWithoutValue);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Rows} kept lookup hashes of retired keys no longer configured were dropped")]
    private static partial void LogForgotten(ILogger logger, int rows);
}
