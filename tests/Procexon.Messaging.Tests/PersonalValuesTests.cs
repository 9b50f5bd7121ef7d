using Procexon.Contracts;
using Procexon.Messaging.Outbox;

namespace Procexon.Messaging.Tests;

/// <summary>Which messages the outbox seals: found by their shape, so a new event that carries personal values is sealed too.</summary>
[Collection(MessagingCollection.Name)]
public sealed class PersonalValuesTests(MessagingFixture fixture)
{
    [Theory]
    [InlineData(typeof(DataDisclosed))]
    [InlineData(typeof(SubjectRightRequested))]
    [InlineData(typeof(SubjectRightScopeResolved))]
    [InlineData(typeof(ExerciseRightInRegister))]
    [InlineData(typeof(RegisterRightCompleted))]
    [InlineData(typeof(RectificationNoticeSent))]
    public void A_message_with_identifiers_new_values_or_records_in_it_is_sealed(Type message) =>
        Assert.True(PersonalValues.AreCarriedBy(message));

    [Theory]
    [InlineData(typeof(ErasureNoticeSent))]
    [InlineData(typeof(RecipientConfirmedErasure))]
    [InlineData(typeof(RightsRequestCompleted))]
    [InlineData(typeof(RestrictionLifted))]
    [InlineData(typeof(NoteWritten))]
    public void A_message_of_ids_hashes_and_names_of_things_stays_readable(Type message) =>
        Assert.False(PersonalValues.AreCarriedBy(message));

    [Fact]
    public async Task A_service_without_a_column_key_may_not_write_personal_values_to_its_outbox()
    {
        // The notes service has no key: the event is refused when it is added, before anything reaches the database.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.InScopeAsync((_, outbox) =>
            Task.FromResult(outbox.Add(new DataDisclosed(Guid.NewGuid(), "finago", Guid.NewGuid(), new SubjectKeys(Email: "a@example.fi"), ["basic-data"], "contract")))));
        Assert.Contains("carries personal values", refused.Message, StringComparison.Ordinal);
    }
}
