using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Procexon.Messaging.Tests;

[Collection(MessagingCollection.Name)]
public sealed class TracingTests(MessagingFixture fixture)
{
    [Fact]
    public async Task Consumer_of_an_outbox_event_runs_in_the_trace_of_the_transaction_that_wrote_it()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("Procexon.Messaging.Tests");
        var noteId = Guid.NewGuid();

        string traceId;
        using (var request = source.StartActivity("POST /notes"))
        {
            Assert.NotNull(request);
            traceId = request.TraceId.ToString();
            await fixture.InScopeAsync(async (db, outbox) =>
            {
                db.Notes.Add(new Note { Id = noteId, Text = "traced" });
                outbox.Add(new NoteWritten(noteId, "traced"));
                return await db.SaveChangesAsync();
            });
        }

        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(noteId) == 1, TimeSpan.FromSeconds(20)));
        var consumedIn = await fixture.InScopeAsync((db, _) => db.Effects.Where(e => e.NoteId == noteId).Select(e => e.TraceId).SingleAsync());
        Assert.Equal(traceId, consumedIn);
    }
}
