using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.DisclosureLog.Infrastructure.Migrations
{
    /// <summary>
    /// The log keeps only masked forms of the identifiers a recipient got (notices name the subject by id). Existing
    /// values are masked in place as EmailAddress, PhoneNumber and Disclosure.MaskTail mask them; the old row versions
    /// go with the next vacuum. Down renames back but cannot unmask.
    /// </summary>
    public partial class MaskedDisclosedIdentifiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "phone",
                table: "disclosures",
                newName: "phone_masked");

            migrationBuilder.RenameColumn(
                name: "email",
                table: "disclosures",
                newName: "email_masked");

            migrationBuilder.RenameColumn(
                name: "customer_number",
                table: "disclosures",
                newName: "customer_number_masked");

            migrationBuilder.RenameColumn(
                name: "business_id",
                table: "disclosures",
                newName: "business_id_masked");

            migrationBuilder.Sql("""
                UPDATE disclosures SET
                    email_masked = CASE WHEN email_masked IS NULL THEN NULL
                        ELSE left(email_masked, 1) || '***' || substring(email_masked FROM position('@' IN email_masked)) END,
                    phone_masked = CASE WHEN phone_masked IS NULL THEN NULL
                        WHEN phone_masked LIKE '+358%' THEN '+358' || repeat('*', greatest(0, length(phone_masked) - 6)) || right(phone_masked, 2)
                        ELSE '+' || repeat('*', greatest(0, length(phone_masked) - 3)) || right(phone_masked, 2) END,
                    customer_number_masked = CASE WHEN customer_number_masked IS NULL THEN NULL
                        ELSE repeat('*', greatest(0, length(customer_number_masked) - 2)) || right(customer_number_masked, 2) END,
                    business_id_masked = CASE WHEN business_id_masked IS NULL THEN NULL
                        ELSE repeat('*', greatest(0, length(business_id_masked) - 2)) || right(business_id_masked, 2) END
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "phone_masked",
                table: "disclosures",
                newName: "phone");

            migrationBuilder.RenameColumn(
                name: "email_masked",
                table: "disclosures",
                newName: "email");

            migrationBuilder.RenameColumn(
                name: "customer_number_masked",
                table: "disclosures",
                newName: "customer_number");

            migrationBuilder.RenameColumn(
                name: "business_id_masked",
                table: "disclosures",
                newName: "business_id");
        }
    }
}
