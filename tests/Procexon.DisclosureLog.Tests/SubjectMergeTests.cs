using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Model;
using Procexon.Processors.AccountingFirm.Apis;

namespace Procexon.DisclosureLog.Tests;

/// <summary>A Registry merge re-points what the disclosure log and the accounting firm keep of the duplicate.</summary>
[Collection(DisclosureLogCollection.Name)]
public sealed class SubjectMergeTests(DisclosureLogFixture fixture)
{
    [Fact]
    public async Task Disclosures_and_notices_of_a_merged_duplicate_move_to_the_surviving_subject()
    {
        var (duplicate, survivor, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var disclosureId = await DiscloseAsync("finago", duplicate);
        var erasureNotice = await AddErasureNoticeAsync(duplicate, other);
        var rectificationNotice = await AddRectificationNoticeAsync(duplicate, survivor);

        await MergedAsync(new SubjectsMerged(Guid.NewGuid(), duplicate, survivor, fixture.Clock.GetUtcNow()), Guid.NewGuid());

        Assert.Equal([disclosureId], (await DisclosuresOfAsync(survivor)).Select(d => d.Id));
        Assert.Empty(await DisclosuresOfAsync(duplicate));
        var (erasureSubjects, rectificationSubjects) = await fixture.InDisclosureLogAsync(async (db, _) => (
            (await db.ErasureNotifications.AsNoTracking().SingleAsync(n => n.Id == erasureNotice)).SubjectIds,
            (await db.Set<RectificationNotification>().AsNoTracking().SingleAsync(n => n.Id == rectificationNotice)).SubjectIds));
        Assert.Equal([survivor, other], erasureSubjects);
        // The notice named both; the survivor is named once.
        Assert.Equal([survivor], rectificationSubjects);
    }

    [Fact]
    public async Task Same_merge_delivered_twice_to_the_disclosure_log_moves_only_what_the_first_delivery_found()
    {
        var (duplicate, survivor) = (Guid.NewGuid(), Guid.NewGuid());
        await DiscloseAsync("finago", duplicate);
        var merged = new SubjectsMerged(Guid.NewGuid(), duplicate, survivor, fixture.Clock.GetUtcNow());
        var messageId = Guid.NewGuid();
        await MergedAsync(merged, messageId);
        // Recorded by someone who still had the old id after the merge: not the redelivery's business.
        var late = await DiscloseAsync("finago", duplicate);

        await MergedAsync(merged, messageId);

        Assert.Single(await DisclosuresOfAsync(survivor));
        Assert.Equal([late], (await DisclosuresOfAsync(duplicate)).Select(d => d.Id));
    }

    [Fact]
    public async Task Accounting_firm_keeps_the_copies_of_both_subjects_under_the_surviving_subject()
    {
        var (duplicate, survivor) = (Guid.NewGuid(), Guid.NewGuid());
        var ofDuplicate = await DiscloseToFirmAsync(duplicate);
        var ofSurvivor = await DiscloseToFirmAsync(survivor);

        await FirmMergedAsync(new SubjectsMerged(Guid.NewGuid(), duplicate, survivor, fixture.Clock.GetUtcNow()), Guid.NewGuid());

        Assert.Equal(new[] { ofDuplicate, ofSurvivor }.Order(), (await ClientRecordsOfAsync(survivor)).Select(r => r.DisclosureId).Order());
        Assert.Empty(await ClientRecordsOfAsync(duplicate));
    }

    [Fact]
    public async Task Same_merge_delivered_twice_to_the_accounting_firm_moves_only_what_the_first_delivery_found()
    {
        var (duplicate, survivor) = (Guid.NewGuid(), Guid.NewGuid());
        await DiscloseToFirmAsync(duplicate);
        var merged = new SubjectsMerged(Guid.NewGuid(), duplicate, survivor, fixture.Clock.GetUtcNow());
        var messageId = Guid.NewGuid();
        await FirmMergedAsync(merged, messageId);
        var late = await DiscloseToFirmAsync(duplicate);

        await FirmMergedAsync(merged, messageId);

        Assert.Single(await ClientRecordsOfAsync(survivor));
        Assert.Equal([late], (await ClientRecordsOfAsync(duplicate)).Select(r => r.DisclosureId));
    }

    private async Task MergedAsync(SubjectsMerged merged, Guid messageId)
    {
        var before = fixture.Consumed.TimesConsumed(messageId);
        await fixture.Bus.Publish(merged, context => context.MessageId = messageId);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(messageId) > before), "The disclosure log did not consume the merge.");
    }

    private async Task FirmMergedAsync(SubjectsMerged merged, Guid messageId)
    {
        var before = fixture.FirmConsumed.TimesConsumed(messageId);
        // On the firm's own queue, as the disclosure log passes a merge on to each recipient it concerns.
        await fixture.SendToFirmAsync(merged, messageId);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.FirmConsumed.TimesConsumed(messageId) > before), "The firm did not consume the merge.");
    }

    private async Task<Guid> DiscloseAsync(string recipient, Guid subjectId)
    {
        var result = await fixture.InDisclosureLogAsync((db, outbox) => DisclosuresApi.RecordDisclosure(
            new RecordDisclosureBody(recipient, subjectId.ToString(), ["basic-data"], "contract", new DisclosedSubjectInput(CustomerNumber: "C-3003")),
            db, outbox, fixture.Schemas, fixture.Clock, default));
        return Assert.IsType<Created<DisclosureDto>>(result.Result).Value!.Id;
    }

    private async Task<Guid> DiscloseToFirmAsync(Guid subjectId)
    {
        var disclosureId = Guid.NewGuid();
        await fixture.SendToFirmAsync(new DataDisclosed(disclosureId, "accounting-firm", subjectId, new SubjectKeys(CustomerNumber: "C-3004"), ["basic-data"], "law"));
        Assert.True(await DisclosureLogFixture.EventuallyAsync(async () =>
            await fixture.InAccountingFirmAsync(db => db.ClientRecords.AnyAsync(r => r.DisclosureId == disclosureId))), "The firm did not keep its copy.");
        return disclosureId;
    }

    private async Task<List<DisclosureDto>> DisclosuresOfAsync(Guid subjectId)
    {
        var result = await fixture.InDisclosureLogAsync((db, _) => DisclosuresApi.ListDisclosures(subjectId.ToString(), db, default));
        return Assert.IsType<Ok<List<DisclosureDto>>>(result.Result).Value!;
    }

    private async Task<List<ClientRecordDto>> ClientRecordsOfAsync(Guid subjectId)
    {
        var result = await fixture.InAccountingFirmAsync(db => ClientRecordsApi.ListClientRecords(subjectId.ToString(), db, default));
        return Assert.IsType<Ok<List<ClientRecordDto>>>(result.Result).Value!;
    }

    private Task<Guid> AddErasureNoticeAsync(params Guid[] subjectIds) => fixture.InDisclosureLogAsync(async (db, _) =>
    {
        var notice = new ErasureNotification
        {
            Id = Guid.CreateVersion7(),
            RequestId = Guid.NewGuid(),
            Recipient = "finago",
            SubjectIds = [.. subjectIds],
            Categories = ["basic-data"],
            SentAt = fixture.Clock.GetUtcNow(),
            ConfirmBy = fixture.Clock.GetUtcNow().AddDays(7),
        };
        db.ErasureNotifications.Add(notice);
        await db.SaveChangesAsync();
        return notice.Id;
    });

    private Task<Guid> AddRectificationNoticeAsync(params Guid[] subjectIds) => fixture.InDisclosureLogAsync(async (db, _) =>
    {
        var notice = new RectificationNotification
        {
            Id = Guid.CreateVersion7(),
            RequestId = Guid.NewGuid(),
            Recipient = "finago",
            SubjectIds = [.. subjectIds],
            Fields = ["email"],
            SentAt = fixture.Clock.GetUtcNow(),
            ConfirmBy = fixture.Clock.GetUtcNow().AddDays(7),
        };
        db.Add(notice);
        await db.SaveChangesAsync();
        return notice.Id;
    });
}
