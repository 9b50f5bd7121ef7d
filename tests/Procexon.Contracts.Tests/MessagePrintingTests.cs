namespace Procexon.Contracts.Tests;

/// <summary>Messages end up in logs (MassTransit, exceptions, a developer's LogInformation): they print no identifier.</summary>
[Trait("Category", "Unit")]
public sealed class MessagePrintingTests
{
    private static readonly SubjectKeys s_keys = new(
        Email: "maija.meikalainen@example.fi", Phone: "+358401234567", Hetu: "010190-999W", BusinessId: "1234567-1", CustomerNumber: "C-1001");

    [Fact]
    public void Subject_keys_say_which_identifiers_were_given_but_not_their_values()
    {
        var printed = s_keys.ToString();

        Assert.Equal("SubjectKeys { given: Email, Phone, Hetu, BusinessId, CustomerNumber }", printed);
    }

    [Fact]
    public void A_message_carrying_subject_keys_prints_none_of_them()
    {
        var printed = new DataDisclosed(Guid.NewGuid(), "accounting-firm", Guid.NewGuid(), s_keys, ["basic-data"], "contract").ToString();

        foreach (var value in new[] { s_keys.Email!, s_keys.Phone!, s_keys.Hetu!, s_keys.BusinessId!, s_keys.CustomerNumber! })
        {
            Assert.DoesNotContain(value, printed, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_correction_names_its_field_but_not_the_new_value()
    {
        Assert.Equal("FieldCorrection { Field = email }", new FieldCorrection("email", "uusi.osoite@example.fi").ToString());
    }
}
