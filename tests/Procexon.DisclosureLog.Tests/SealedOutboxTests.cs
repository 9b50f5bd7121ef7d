using Microsoft.EntityFrameworkCore;
using Procexon.Contracts;
using Procexon.Messaging.Outbox;

namespace Procexon.DisclosureLog.Tests;

/// <summary>A disclosure waiting in the outbox (a broker down, a backup taken) names nobody in its row, and still goes out whole.</summary>
[Collection(DisclosureLogCollection.Name)]
public sealed class SealedOutboxTests(DisclosureLogFixture fixture)
{
    [Fact]
    public async Task A_disclosure_in_the_outbox_is_sealed_in_its_row_and_read_back_whole_by_the_service()
    {
        var email = $"{Guid.NewGuid():N}@example.fi";
        var customerNumber = $"C-{Random.Shared.Next(10_000_000, 99_999_999)}";
        await fixture.InDisclosureLogAsync((db, outbox) => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            // Rolled back at the end: the row is read inside its own transaction, before any dispatcher could take it.
            await using var transaction = await db.Database.BeginTransactionAsync();
            var id = outbox.Send(RecipientQueues.Of("accounting-firm"), new DataDisclosed(Guid.CreateVersion7(), "accounting-firm", Guid.CreateVersion7(),
                new SubjectKeys(Email: email, CustomerNumber: customerNumber), ["basic-data"], "contract"));
            await db.SaveChangesAsync();

            var row = await db.Database.SqlQuery<RawRow>($"""
                SELECT payload::text AS payload, sealed_payload AS sealed FROM outbox_messages WHERE id = {id}
                """).SingleAsync();
            Assert.Null(row.Payload);
            Assert.NotNull(row.Sealed);
            var stored = System.Text.Encoding.Latin1.GetString(row.Sealed);
            Assert.DoesNotContain(email, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(customerNumber, stored, StringComparison.Ordinal);

            var read = await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == id);
            Assert.Contains(email, read.SealedPayload, StringComparison.Ordinal);
            Assert.Contains(customerNumber, read.SealedPayload, StringComparison.Ordinal);

            // An event without personal values stays readable for an operator looking at a backlog.
            var plain = outbox.Add(new RecipientConfirmedErasure(Guid.CreateVersion7(), "accounting-firm", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            Assert.NotNull(await db.Database.SqlQuery<string>($"SELECT payload::text AS \"Value\" FROM outbox_messages WHERE id = {plain}").SingleAsync());

            await transaction.RollbackAsync();
            return 0;
        }));
    }

    [Fact]
    public async Task A_sealed_disclosure_reaches_its_recipient_with_the_identifiers_in_clear()
    {
        var subjectId = Guid.CreateVersion7();
        var email = $"{Guid.NewGuid():N}@example.fi";
        await fixture.InDisclosureLogAsync(async (db, outbox) =>
        {
            // As the disclosure endpoint sends it: to the firm's own queue.
            outbox.Send(RecipientQueues.Of("accounting-firm"), new DataDisclosed(Guid.CreateVersion7(), "accounting-firm", subjectId, new SubjectKeys(Email: email), ["basic-data"], "contract"));
            return await db.SaveChangesAsync();
        });

        // The firm keeps its own (encrypted) copy of what it was given: the address arrived in clear on its own queue.
        Assert.True(await DisclosureLogFixture.EventuallyAsync(async () =>
            (await fixture.InAccountingFirmAsync(db => db.ClientRecords.AsNoTracking().Where(r => r.SubjectId == subjectId).ToListAsync()))
                .Any(r => r.Email == email)),
            "The firm never received the sealed disclosure whole.");
    }

    private sealed record RawRow(string? Payload, byte[]? Sealed);
}
